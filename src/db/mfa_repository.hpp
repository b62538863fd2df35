#pragma once
// The tables of the second factor (migration 0010): each user's TOTP factor, their recovery
// codes and the login challenges between the password and the code. Every "once" is one
// conditional UPDATE, so of two requests at once exactly one gets it: a time step of a code,
// a recovery code, a challenge's last try.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace gh::db {

struct MfaFactor {
  std::string user_id;
  std::string sealed_secret;
  bool enabled = false;
  std::int64_t last_used_step = 0;
};

struct MfaChallengeTry {
  std::string user_id;
  int tries = 0;  // including this one
};

class MfaRepository {
 public:
  explicit MfaRepository(Database& db) : db_(db) {}

  // A pending factor for the user, replacing a pending one; false when one is enabled.
  boost::asio::awaitable<bool> put_pending(const std::string& user_id,
                                           const std::string& sealed_secret, std::int64_t now);
  boost::asio::awaitable<std::optional<MfaFactor>> find(const std::string& user_id);
  // Takes time step `step` of the enabled factor: true once per step, and only for a step
  // after the last one taken.
  boost::asio::awaitable<bool> use_step(const std::string& user_id, std::int64_t step);
  // Enables the pending factor at `step` and makes `code_hashes` its recovery codes, with
  // `also`, in one transaction; false when there was no pending factor or the step was taken.
  boost::asio::awaitable<bool> enable(const std::string& user_id, std::int64_t step,
                                      std::int64_t now, const std::vector<std::string>& code_hashes,
                                      std::vector<Statement> also = {});
  // The user's recovery codes become `code_hashes` (the old ones stop working), with `also`.
  boost::asio::awaitable<void> replace_recovery_codes(const std::string& user_id,
                                                      const std::vector<std::string>& code_hashes,
                                                      std::vector<Statement> also = {});
  // Spends a recovery code, with `also` when it does: true once.
  boost::asio::awaitable<bool> use_recovery_code(const std::string& user_id,
                                                 const std::string& code_hash, std::int64_t now,
                                                 std::vector<Statement> also = {});
  // The factor and the recovery codes gone, with `also`; false when there was no factor.
  boost::asio::awaitable<bool> remove(const std::string& user_id, std::vector<Statement> also = {});

  boost::asio::awaitable<void> add_challenge(const std::string& token_hash,
                                             const std::string& user_id, std::int64_t now,
                                             std::int64_t expires_at,
                                             std::vector<Statement> also = {});
  // Counts one try of a live challenge (unspent, unexpired, under `max_tries`); nullopt when
  // there is none, and then nothing changed.
  boost::asio::awaitable<std::optional<MfaChallengeTry>> try_challenge(
      const std::string& token_hash, std::int64_t now, int max_tries);
  // Spends the challenge: true once.
  boost::asio::awaitable<bool> spend_challenge(const std::string& token_hash, std::int64_t now);
  // Deletes up to `limit` challenges that expired before `cutoff`; how many it deleted.
  boost::asio::awaitable<std::int64_t> purge_challenges(std::int64_t cutoff, std::int64_t limit);

 private:
  Database& db_;
};

}  // namespace gh::db
