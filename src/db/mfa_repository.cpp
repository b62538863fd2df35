#include "db/mfa_repository.hpp"

#include "db/ids.hpp"
#include "db/params.hpp"
#include "db/with_change.hpp"

namespace gh::db {
namespace {

constexpr Query kPutPending{
    "put_pending_mfa_factor",
    "INSERT INTO mfa_factors (user_id, sealed_secret, state, last_used_step, created_at) "
    "VALUES ($1, $2, 'pending', 0, $3) ON CONFLICT (user_id) DO UPDATE SET "
    "sealed_secret = excluded.sealed_secret, last_used_step = 0, created_at = excluded.created_at "
    "WHERE mfa_factors.state = 'pending'"};
constexpr Query kFind{"find_mfa_factor",
                      "SELECT user_id, sealed_secret, state, last_used_step FROM mfa_factors "
                      "WHERE user_id = $1",
                      {},
                      true};
constexpr Query kUseStep{"use_mfa_step",
                         "UPDATE mfa_factors SET last_used_step = $2 WHERE user_id = $1 "
                         "AND state = 'enabled' AND last_used_step < $2"};
constexpr Query kEnable{"enable_mfa_factor",
                        "UPDATE mfa_factors SET state = 'enabled', last_used_step = $2, "
                        "enabled_at = $3 WHERE user_id = $1 AND state = 'pending' "
                        "AND last_used_step < $2"};
constexpr Query kDeleteCodes{"delete_recovery_codes",
                             "DELETE FROM mfa_recovery_codes WHERE user_id = $1"};
constexpr Query kInsertCode{"insert_recovery_code",
                            "INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)"};
constexpr Query kUseCode{"use_recovery_code",
                         "UPDATE mfa_recovery_codes SET used_at = $3 WHERE user_id = $1 "
                         "AND code_hash = $2 AND used_at IS NULL"};
// UserOut's flag, written with the factor's state.
constexpr Query kSetUserMfa{"set_user_mfa_enabled",
                            "UPDATE users SET mfa_enabled = $2 WHERE id = $1"};
constexpr Query kDeleteFactor{"delete_mfa_factor", "DELETE FROM mfa_factors WHERE user_id = $1"};
constexpr Query kAddChallenge{"add_mfa_challenge",
                              "INSERT INTO mfa_challenges (token_hash, user_id, created_at, "
                              "expires_at) VALUES ($1, $2, $3, $4)"};
constexpr Query kTryChallenge{"try_mfa_challenge",
                              "UPDATE mfa_challenges SET tries = tries + 1 WHERE token_hash = $1 "
                              "AND spent_at IS NULL AND expires_at > $2 AND tries < $3 "
                              "RETURNING user_id, tries"};
constexpr Query kSpendChallenge{"spend_mfa_challenge",
                                "UPDATE mfa_challenges SET spent_at = $2 WHERE token_hash = $1 "
                                "AND spent_at IS NULL"};
constexpr Query kPurgeChallenges{
    "purge_mfa_challenges",
    "DELETE FROM mfa_challenges WHERE token_hash IN (SELECT token_hash FROM mfa_challenges "
    "WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)",
    "DELETE FROM mfa_challenges WHERE token_hash IN (SELECT token_hash FROM mfa_challenges "
    "WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"};

// The statements that make `hashes` the user's codes, each only if statement `gate` changed
// a row (none when `gate` is unset).
void append_codes(std::vector<Statement>& out, const std::string& user_id,
                  const std::vector<std::string>& hashes, std::optional<std::size_t> gate) {
  out.push_back({&kDeleteCodes, {user_id}});
  out.back().only_if_changed = gate;
  for (const auto& hash : hashes) {
    out.push_back({&kInsertCode, {user_id, hash}});
    out.back().only_if_changed = gate;
  }
}

}  // namespace

boost::asio::awaitable<bool> MfaRepository::put_pending(const std::string& user_id,
                                                        const std::string& sealed_secret,
                                                        std::int64_t now) {
  const auto r = co_await db_.execute(kPutPending, params(user_id, sealed_secret, now));
  co_return r.affected_rows == 1;
}

boost::asio::awaitable<std::optional<MfaFactor>> MfaRepository::find(const std::string& user_id) {
  if (!could_be_id(user_id)) co_return std::nullopt;
  const auto r = co_await db_.execute(kFind, params(user_id));
  if (r.rows.empty()) co_return std::nullopt;
  const Row& row = r.rows.front();
  co_return MfaFactor{row.text(0), row.text(1), row.text(2) == "enabled", row.integer(3)};
}

boost::asio::awaitable<bool> MfaRepository::use_step(const std::string& user_id,
                                                     std::int64_t step) {
  co_return (co_await db_.execute(kUseStep, params(user_id, step))).affected_rows == 1;
}

boost::asio::awaitable<bool> MfaRepository::enable(const std::string& user_id, std::int64_t step,
                                                   std::int64_t now,
                                                   const std::vector<std::string>& code_hashes,
                                                   std::vector<Statement> also) {
  std::vector<Statement> statements{{&kEnable, {user_id, step, now}}};
  statements.push_back({&kSetUserMfa, {user_id, std::int64_t{1}}});
  statements.back().only_if_changed = 0;
  append_codes(statements, user_id, code_hashes, 0);
  append_if_changed(statements, 0, std::move(also));
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  co_return results.front().affected_rows == 1;
}

boost::asio::awaitable<void> MfaRepository::replace_recovery_codes(
    const std::string& user_id, const std::vector<std::string>& code_hashes,
    std::vector<Statement> also) {
  std::vector<Statement> statements;
  append_codes(statements, user_id, code_hashes, std::nullopt);
  for (auto& s : also) statements.push_back(std::move(s));
  co_await db_.execute_in_transaction(std::move(statements));
}

boost::asio::awaitable<bool> MfaRepository::use_recovery_code(const std::string& user_id,
                                                              const std::string& code_hash,
                                                              std::int64_t now,
                                                              std::vector<Statement> also) {
  std::vector<Statement> statements{{&kUseCode, {user_id, code_hash, now}}};
  append_if_changed(statements, 0, std::move(also));
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  co_return results.front().affected_rows == 1;
}

boost::asio::awaitable<bool> MfaRepository::remove(const std::string& user_id,
                                                   std::vector<Statement> also) {
  if (!could_be_id(user_id)) co_return false;
  std::vector<Statement> statements{{&kDeleteFactor, {user_id}},
                                    {&kDeleteCodes, {user_id}},
                                    {&kSetUserMfa, {user_id, std::int64_t{0}}}};
  append_if_changed(statements, 0, std::move(also));
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  co_return results.front().affected_rows == 1;
}

boost::asio::awaitable<void> MfaRepository::add_challenge(const std::string& token_hash,
                                                          const std::string& user_id,
                                                          std::int64_t now, std::int64_t expires_at,
                                                          std::vector<Statement> also) {
  std::vector<Statement> statements{{&kAddChallenge, {token_hash, user_id, now, expires_at}}};
  for (auto& s : also) statements.push_back(std::move(s));
  co_await db_.execute_in_transaction(std::move(statements));
}

boost::asio::awaitable<std::optional<MfaChallengeTry>> MfaRepository::try_challenge(
    const std::string& token_hash, std::int64_t now, int max_tries) {
  const auto r =
      co_await db_.execute(kTryChallenge, params(token_hash, now, std::int64_t{max_tries}));
  if (r.rows.empty()) co_return std::nullopt;
  co_return MfaChallengeTry{r.rows.front().text(0), static_cast<int>(r.rows.front().integer(1))};
}

boost::asio::awaitable<bool> MfaRepository::spend_challenge(const std::string& token_hash,
                                                            std::int64_t now) {
  co_return (co_await db_.execute(kSpendChallenge, params(token_hash, now))).affected_rows == 1;
}

boost::asio::awaitable<std::int64_t> MfaRepository::purge_challenges(std::int64_t cutoff,
                                                                     std::int64_t limit) {
  co_return (co_await db_.execute(kPurgeChallenges, params(cutoff, limit))).affected_rows;
}

}  // namespace gh::db
