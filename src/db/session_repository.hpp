#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/session.hpp"
#include "models/user.hpp"

namespace gh::db {

// What a refresh token presented to rotate or to end its session did. `reused`: the token
// was already spent, so its session was revoked.
enum class RotateResult { rotated, reused, invalid };
enum class EndResult { ended, reused, invalid };

// A refresh: when, and from where (the session's latest use). Empty ip or user agent: not
// known, stored as NULL.
struct SessionUse {
  std::int64_t at = 0;
  std::string ip{};
  std::string user_agent{};
};

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  boost::asio::awaitable<void> insert(const models::Session& session);
  // A login's session (not revoked), only if the user is still active with `password_hash`,
  // the hash the login verified; false when a change came first.
  // `also` (db/with_change.hpp) is written with the session, only if it opens.
  boost::asio::awaitable<bool> open_if_password(const models::Session& session,
                                                const std::string& password_hash,
                                                std::vector<Statement> also = {});
  // Registration: the user and the first session, in one transaction, with `also`.
  boost::asio::awaitable<void> insert_with_user(const models::User& user,
                                                const models::Session& session,
                                                std::vector<Statement> also = {});
  // Spends the refresh token whose jti hashes to `old_hash` in one atomic statement and
  // stores `new_hash`, with `use` as the session's latest use. The session must be open,
  // unexpired at use.at and its user active.
  // A hash that no longer matches an open session means the token was already spent:
  // the session is revoked (reuse detection) and `reused` returned. `also` is written with
  // a rotation only.
  boost::asio::awaitable<RotateResult> rotate(const std::string& session_id,
                                              const std::string& user_id,
                                              const std::string& old_hash,
                                              const std::string& new_hash, const SessionUse& use,
                                              std::vector<Statement> also = {});
  // Ends one session if `refresh_hash` is its current token.
  // An already-spent token ends it too, as reuse: a thief who rotated a stolen token first
  // must not keep the session after its owner logs out with the old one.
  // `also` is written with an `ended` only.
  boost::asio::awaitable<EndResult> revoke_by_refresh(const std::string& session_id,
                                                      const std::string& user_id,
                                                      const std::string& refresh_hash,
                                                      std::int64_t now,
                                                      std::vector<Statement> also = {});
  boost::asio::awaitable<void> revoke(const std::string& session_id, std::int64_t now);
  // `also` is written only if a session ended.
  boost::asio::awaitable<std::int64_t> revoke_all_for_user(const std::string& user_id,
                                                           std::int64_t now,
                                                           std::vector<Statement> also = {});
  boost::asio::awaitable<std::int64_t> revoke_others_for_user(const std::string& user_id,
                                                              const std::string& keep_session_id,
                                                              std::int64_t now);
  // The same, as a statement of another change's transaction (a password change's).
  static Statement revoke_others_statement(const std::string& user_id,
                                           const std::string& keep_session_id, std::int64_t now);

  // `user_id`'s open sessions (not revoked, not expired at `now`), newest first, at most
  // `limit`; without their refresh hashes.
  boost::asio::awaitable<std::vector<models::Session>> list_open(const std::string& user_id,
                                                                 std::int64_t now,
                                                                 std::int64_t limit);
  // Ends one session, only if it is `user_id`'s and open at `now`; false when it is not.
  // `also` is written only if it ended.
  boost::asio::awaitable<bool> revoke_open(const std::string& session_id,
                                           const std::string& user_id, std::int64_t now,
                                           std::vector<Statement> also = {});
  // Deletes at most `limit` sessions that ended (were revoked, or expired) before `cutoff`,
  // oldest first; returns how many it deleted. Fewer than `limit`: none is left but those
  // another transaction held (PostgreSQL skips locked rows).
  boost::asio::awaitable<std::int64_t> purge_ended(std::int64_t cutoff, std::int64_t limit);

 private:
  // After a refresh hash matched no open session: revokes the session if it is open (the
  // token was spent); true when it did.
  boost::asio::awaitable<bool> revoke_if_reused(const std::string& session_id,
                                                const std::string& user_id,
                                                const std::string& presented_hash,
                                                std::int64_t now);

  Database& db_;
};

}  // namespace gh::db
