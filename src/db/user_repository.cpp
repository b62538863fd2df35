#include "db/user_repository.hpp"

#include "db/user_list_queries.hpp"

#include "db/ids.hpp"
#include "db/params.hpp"
#include "db/session_repository.hpp"
#include "db/user_rows.hpp"
#include "db/with_change.hpp"

namespace gh::db {
namespace {

// Plain SELECTs (see Query::read_only); kLockActiveAdmins, with its FOR UPDATE, is not one.
constexpr bool kReadOnly = true;

constexpr Query kFindUserById{"find_user_by_id",
                              "SELECT id, email, password_hash, role, is_active, created_at, "
                              "updated_at, email_verified, last_login_at, mfa_enabled "
                              "FROM users WHERE id = $1",
                              {},
                              kReadOnly};
constexpr Query kFindUserByEmail{
    "find_user_by_email",
    "SELECT id, email, password_hash, role, is_active, created_at, updated_at, email_verified, "
    "last_login_at, mfa_enabled "
    "FROM users WHERE email = $1",
    // The unique index is on lower(email); emails are stored lower-cased either way.
    "SELECT id, email, password_hash, role, is_active, created_at, updated_at, email_verified, "
    "last_login_at, mfa_enabled "
    "FROM users WHERE lower(email) = lower($1)",
    kReadOnly};
constexpr Query kFindActiveUserWithSession{
    "find_active_user_with_session",
    "SELECT u.id, u.email, u.password_hash, u.role, u.is_active, u.created_at, u.updated_at, "
    "u.email_verified, u.last_login_at, u.mfa_enabled "
    "FROM users u JOIN sessions s ON s.user_id = u.id "
    "WHERE u.id = $1 AND s.id = $2 AND u.is_active = 1 "
    "AND s.revoked_at IS NULL AND s.expires_at > $3",
    // PostgreSQL's is_active is a boolean (the queries below differ for the same reason).
    "SELECT u.id, u.email, u.password_hash, u.role, u.is_active, u.created_at, u.updated_at, "
    "u.email_verified, u.last_login_at, u.mfa_enabled "
    "FROM users u JOIN sessions s ON s.user_id = u.id "
    "WHERE u.id = $1 AND s.id = $2 AND u.is_active "
    "AND s.revoked_at IS NULL AND s.expires_at > $3",
    kReadOnly};
// One row, kept exact by triggers (migration 0004): no scan at any table size.
constexpr Query kCountUsers{
    "count_users", "SELECT total, active, admins FROM user_counts WHERE id = 1", {}, kReadOnly};
constexpr Query kSetPasswordHash{
    "set_user_password_hash", "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"};
// Compare-and-set: a rehash at login, or a password change, replaces only the hash it read,
// so a change that committed meanwhile is never undone. $2 old hash, $3 new, $4 now.
constexpr Query kReplacePasswordHash{
    "replace_user_password_hash",
    "UPDATE users SET password_hash = $3, updated_at = $4 WHERE id = $1 AND password_hash = $2"};
// Only while `email` ($2) is still the address: a link mailed to an old one proves nothing.
constexpr Query kMarkEmailVerified{
    "mark_email_verified",
    "UPDATE users SET email_verified = 1, updated_at = $3 WHERE id = $1 AND email = $2",
    "UPDATE users SET email_verified = true, updated_at = $3 WHERE id = $1 AND email = $2"};
constexpr Query kRecordLogin{"record_login",
                             "UPDATE users SET last_login_at = $2 WHERE id = $1 "
                             "AND (last_login_at IS NULL OR last_login_at < $2)"};
constexpr Query kUserExists{"user_exists", "SELECT 1 FROM users WHERE id = $1", {}, kReadOnly};

// The last-admin guard reads every active admin; under PostgreSQL's READ COMMITTED two
// transactions demoting two different admins would each still count two. Locking those
// rows first serialises them. SQLite needs no lock: BEGIN IMMEDIATE admits one writer.
constexpr Query kLockActiveAdmins{
    "lock_active_admins", "SELECT id FROM users WHERE role = 'admin' AND is_active = 1",
    "SELECT id FROM users WHERE role = 'admin' AND is_active FOR UPDATE"};

// $1 id, $2 email, $3 role, $4 is_active (NULL: unchanged), $5 now. The WHERE refuses to
// turn the only active admin into anything else, in the same statement as the write. A new
// address is unverified until a link mailed to it is taken.
constexpr Query kUpdateUser{
    "update_user",
    "UPDATE users SET email = COALESCE($2, email), role = COALESCE($3, role), "
    "is_active = COALESCE($4, is_active), updated_at = $5, "
    "email_verified = CASE WHEN COALESCE($2, email) = email THEN email_verified ELSE 0 END "
    "WHERE id = $1 AND NOT (role = 'admin' AND is_active = 1 "
    "AND (COALESCE($3, role) <> 'admin' OR COALESCE($4, is_active) = 0) "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1) <= 1)",
    // $4 arrives as 0/1 or NULL; the casts make PostgreSQL read it as the boolean it is.
    "UPDATE users SET email = COALESCE($2, email), role = COALESCE($3, role), "
    "is_active = COALESCE($4::boolean, is_active), updated_at = $5, "
    "email_verified = CASE WHEN COALESCE($2::text, email) = email THEN email_verified "
    "ELSE false END "
    "WHERE id = $1 AND NOT (role = 'admin' AND is_active "
    "AND (COALESCE($3, role) <> 'admin' OR NOT COALESCE($4::boolean, is_active)) "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active) <= 1)"};

// Runs before kUpdateUser, while the old role is still visible: deactivating or demoting
// an admin ends the user's sessions. Same guard, so a refused update revokes nothing.
// $1 id, $2 role, $3 is_active (NULL: unchanged), $4 now.
constexpr Query kRevokeSessionsOnDemotion{
    "revoke_sessions_on_demotion",
    "UPDATE sessions SET revoked_at = $4 "
    "WHERE user_id = $1 AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM users u "
    "WHERE u.id = $1 AND ($3 = 0 OR (u.role = 'admin' AND $2 = 'user')) "
    "AND NOT (u.role = 'admin' AND u.is_active = 1 "
    "AND (COALESCE($2, u.role) <> 'admin' OR COALESCE($3, u.is_active) = 0) "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1) <= 1))",
    "UPDATE sessions SET revoked_at = $4 "
    "WHERE user_id = $1 AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM users u "
    "WHERE u.id = $1 AND (NOT $3::boolean OR (u.role = 'admin' AND $2 = 'user')) "
    "AND NOT (u.role = 'admin' AND u.is_active "
    "AND (COALESCE($2, u.role) <> 'admin' OR NOT COALESCE($3::boolean, u.is_active)) "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active) <= 1))"};

// Sessions go by ON DELETE CASCADE.
constexpr Query kDeleteUser{
    "delete_user",
    "DELETE FROM users WHERE id = $1 AND NOT (role = 'admin' AND is_active = 1 "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1) <= 1)",
    "DELETE FROM users WHERE id = $1 AND NOT (role = 'admin' AND is_active "
    "AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active) <= 1)"};

Value optional_text(const std::optional<std::string>& text) {
  return text ? Value{*text} : Value{};
}

Value optional_flag(const std::optional<bool>& flag) {
  return flag ? Value{std::int64_t{*flag ? 1 : 0}} : Value{};
}

std::optional<models::User> first_user(Result result) {
  if (result.rows.empty()) return std::nullopt;
  return user_from_row(std::move(result.rows.front()));
}

// Reads the outcome of [lock, guarded write, ..., kUserExists]: zero rows written means
// either no such user or the guard refused.
GuardedResult guarded_outcome(const std::vector<Result>& results, std::size_t write) {
  if (results.at(write).affected_rows > 0) return GuardedResult::done;
  return results.back().rows.empty() ? GuardedResult::not_found : GuardedResult::last_admin;
}

}  // namespace

boost::asio::awaitable<void> UserRepository::insert(const models::User& user,
                                                    std::vector<Statement> also) {
  co_await execute_with(db_, kInsertUser, user_insert_params(user), std::move(also));
}

boost::asio::awaitable<std::optional<models::User>> UserRepository::find_by_id(
    const std::string& id) {
  if (!could_be_id(id)) co_return std::nullopt;
  co_return first_user(co_await db_.execute(kFindUserById, params(id)));
}

boost::asio::awaitable<std::optional<models::User>> UserRepository::find_by_email(
    const std::string& email) {
  co_return first_user(co_await db_.execute(kFindUserByEmail, params(email)));
}

boost::asio::awaitable<std::optional<models::User>> UserRepository::find_active_with_session(
    const std::string& user_id, const std::string& session_id, std::int64_t now) {
  if (!could_be_id(user_id) || !could_be_id(session_id)) co_return std::nullopt;
  co_return first_user(
      co_await db_.execute(kFindActiveUserWithSession, params(user_id, session_id, now)));
}

boost::asio::awaitable<std::vector<models::User>> UserRepository::list(const models::UserQuery& q) {
  // Before every user: the earliest time both dialects can represent.
  const models::UserPosition start{models::kFirstPositionMicros,
                                   "00000000-0000-0000-0000-000000000000"};
  const models::UserPosition& after = q.after ? *q.after : start;
  std::vector<Value> values{after.created_at, after.id, q.limit, q.skip};
  if (const auto& text = q.filter.email_contains)
    values.emplace_back(db_.dialect() == Dialect::postgres ? contains_pattern(*text)
                                                           : trigram_phrase(*text));
  if (q.filter.role) values.emplace_back(std::string(models::role_name(*q.filter.role)));
  if (q.filter.is_active) values.emplace_back(std::int64_t{*q.filter.is_active ? 1 : 0});
  if (q.filter.email_verified) values.emplace_back(std::int64_t{*q.filter.email_verified ? 1 : 0});
  Result result = co_await db_.execute(user_list_query(q.filter), std::move(values));
  std::vector<models::User> users;
  users.reserve(result.rows.size());
  for (Row& row : result.rows) users.push_back(user_from_row(std::move(row)));
  co_return users;
}

boost::asio::awaitable<UserCounts> UserRepository::counts() {
  const Result result = co_await db_.execute(kCountUsers, params());
  const Row& row = result.rows.at(0);
  co_return UserCounts{.total = row.integer(0), .active = row.integer(1), .admins = row.integer(2)};
}

boost::asio::awaitable<GuardedResult> UserRepository::update(
    const std::string& id, const UserChanges& changes, std::int64_t now,
    std::vector<Statement> also, std::vector<Statement> if_sessions_ended,
    std::int64_t* sessions_ended) {
  if (!could_be_id(id)) co_return GuardedResult::not_found;
  const Value role = changes.role ? Value{std::string(models::role_name(*changes.role))} : Value{};
  const Value active = optional_flag(changes.is_active);
  std::vector<Statement> statements{
      {&kLockActiveAdmins, {}},
      {&kRevokeSessionsOnDemotion, {id, role, active, now}},
      {&kUpdateUser, {id, optional_text(changes.email), role, active, now}},
  };
  append_if_changed(statements, 2, std::move(also));
  append_if_changed(statements, 1, std::move(if_sessions_ended));
  statements.push_back({&kUserExists, {id}});
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  if (sessions_ended) *sessions_ended = results.at(1).affected_rows;
  co_return guarded_outcome(results, 2);
}

boost::asio::awaitable<GuardedResult> UserRepository::remove(const std::string& id,
                                                             std::vector<Statement> also) {
  if (!could_be_id(id)) co_return GuardedResult::not_found;
  std::vector<Statement> statements{
      {&kLockActiveAdmins, {}},
      {&kDeleteUser, {id}},
  };
  append_if_changed(statements, 1, std::move(also));
  statements.push_back({&kUserExists, {id}});
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  co_return guarded_outcome(results, 1);
}

boost::asio::awaitable<void> UserRepository::set_password_hash(const std::string& id,
                                                               const std::string& hash,
                                                               std::int64_t now) {
  co_await db_.execute(kSetPasswordHash, params(id, hash, now));
}

boost::asio::awaitable<bool> UserRepository::replace_password_hash(const std::string& id,
                                                                   const std::string& old_hash,
                                                                   const std::string& new_hash,
                                                                   std::int64_t now) {
  if (!could_be_id(id)) co_return false;
  co_return (co_await db_.execute(kReplacePasswordHash, params(id, old_hash, new_hash, now)))
          .affected_rows == 1;
}

boost::asio::awaitable<std::optional<std::int64_t>> UserRepository::change_password(
    const std::string& id, const std::string& old_hash, const std::string& new_hash,
    std::int64_t now, const std::string& keep_session, std::vector<Statement> also,
    std::vector<Statement> if_sessions_ended) {
  if (!could_be_id(id)) co_return std::nullopt;
  std::vector<Statement> statements{{&kReplacePasswordHash, {id, old_hash, new_hash, now}}};
  statements.push_back(SessionRepository::revoke_others_statement(id, keep_session, now));
  statements.back().only_if_changed = 0;
  append_if_changed(statements, 0, std::move(also));
  append_if_changed(statements, 1, std::move(if_sessions_ended));
  const auto results = co_await db_.execute_in_transaction(std::move(statements));
  if (results.front().affected_rows != 1) co_return std::nullopt;
  co_return results.at(1).affected_rows;
}

boost::asio::awaitable<bool> UserRepository::mark_email_verified(const std::string& id,
                                                                 const std::string& email,
                                                                 std::int64_t now,
                                                                 std::vector<Statement> also) {
  if (!could_be_id(id)) co_return false;
  const auto result =
      co_await execute_with(db_, kMarkEmailVerified, params(id, email, now), std::move(also));
  co_return result.affected_rows == 1;
}

Statement UserRepository::email_verified_statement(const std::string& id, const std::string& email,
                                                   std::int64_t now) {
  return Statement{&kMarkEmailVerified, {id, email, now}};
}

boost::asio::awaitable<void> UserRepository::record_login(const std::string& id, std::int64_t now) {
  co_await db_.execute(kRecordLogin, params(id, now));
}

}  // namespace gh::db
