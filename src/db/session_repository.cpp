#include "db/session_repository.hpp"

#include "db/ids.hpp"
#include "db/params.hpp"
#include "db/user_rows.hpp"
#include "db/with_change.hpp"

namespace gh::db {
namespace {

// last_used_at starts at creation. $7 ip, $8 user agent (NULL: not known).
constexpr Query kInsertSession{
    "insert_session",
    "INSERT INTO sessions (id, user_id, refresh_hash, created_at, expires_at, revoked_at, "
    "last_used_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8)"};

// A login's session, opened only if the user is still active with the very password hash
// the login verified: a password change (or a deactivation, or a deletion) that commits while
// the login hashes ends it with nothing, so no session outlives the change. PostgreSQL locks
// the user row (FOR SHARE) so that the check and a concurrent change cannot interleave; a
// SQLite write is alone anyway. $1-$8 as kInsertSession's, $9 the verified hash.
constexpr Query kOpenSessionIfPassword{
    "open_session_if_password",
    "INSERT INTO sessions (id, user_id, refresh_hash, created_at, expires_at, revoked_at, "
    "last_used_at, ip, user_agent) SELECT $1, $2, $3, $4, $5, $6, $4, $7, $8 "
    "WHERE EXISTS (SELECT 1 FROM users WHERE id = $2 AND password_hash = $9 AND is_active = 1)",
    "INSERT INTO sessions (id, user_id, refresh_hash, created_at, expires_at, revoked_at, "
    "last_used_at, ip, user_agent) SELECT $1::uuid, $2::uuid, $3::text, $4::timestamptz, "
    "$5::timestamptz, $6::timestamptz, $4::timestamptz, $7::text, $8::text WHERE EXISTS "
    "(SELECT 1 FROM users WHERE id = $2::uuid AND password_hash = $9::text AND is_active "
    "FOR SHARE)"};

// Compare-and-swap on the token hash: of two requests presenting the same refresh token,
// exactly one rotates. Comparing hashes in SQL leaks no useful timing: they are digests of
// random jtis. $1 session, $2 user, $3 old hash, $4 new hash, $5 now, $6 ip, $7 user agent:
// the refresh is the session's latest use.
constexpr Query kRotateSession{
    "rotate_session",
    "UPDATE sessions SET refresh_hash = $4, last_used_at = $5, ip = $6, user_agent = $7 "
    "WHERE id = $1 AND user_id = $2 AND refresh_hash = $3 AND revoked_at IS NULL "
    "AND expires_at > $5 AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND is_active = 1)",
    // is_active is a boolean there.
    "UPDATE sessions SET refresh_hash = $4, last_used_at = $5, ip = $6, user_agent = $7 "
    "WHERE id = $1 AND user_id = $2 AND refresh_hash = $3 AND revoked_at IS NULL "
    "AND expires_at > $5 AND EXISTS (SELECT 1 FROM users WHERE id = $2 AND is_active)"};

// An open session whose current hash is not the presented one: that token was already
// spent, so someone replays it. $1 session, $2 user, $3 presented hash, $4 now.
constexpr Query kRevokeReusedSession{
    "revoke_reused_session",
    "UPDATE sessions SET revoked_at = $4 "
    "WHERE id = $1 AND user_id = $2 AND refresh_hash <> $3 AND revoked_at IS NULL"};

constexpr Query kRevokeSessionByRefresh{
    "revoke_session_by_refresh",
    "UPDATE sessions SET revoked_at = $4 "
    "WHERE id = $1 AND user_id = $2 AND refresh_hash = $3 AND revoked_at IS NULL"};
constexpr Query kRevokeSession{
    "revoke_session", "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"};
constexpr Query kRevokeUserSessions{
    "revoke_user_sessions",
    "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"};
constexpr Query kRevokeOtherUserSessions{
    "revoke_other_user_sessions",
    "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL"};

// A user's open sessions, newest first (the partial index sessions_open_by_user). $1 user,
// $2 now, $3 how many at most.
constexpr Query kListOpenSessions{
    .name = "list_open_sessions",
    .sql =
        "SELECT id, user_id, created_at, expires_at, last_used_at, ip, user_agent "
        "FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 "
        "ORDER BY created_at DESC, id DESC LIMIT $3",
    .read_only = true};
// Ends one open session, only if it is `user_id`'s. $1 session, $2 user, $3 now.
constexpr Query kRevokeOpenSession{
    "revoke_open_session",
    "UPDATE sessions SET revoked_at = $3 "
    "WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3"};

// The purge: a batch of sessions ended before $1, at most $2 of them, oldest first, one
// index each. On PostgreSQL the ids come as an array (an InitPlan), so the DELETE finds its
// rows through the primary key whatever the plan cache decides: as `id IN (SELECT ...)` the
// generic plan hashed the batch and scanned the whole table for it. Rows another
// transaction holds (a revocation in progress, another instance's purge) are skipped rather
// than waited for: the next batch or run takes them.
constexpr Query kPurgeRevokedSessions{
    "purge_revoked_sessions",
    "DELETE FROM sessions WHERE id IN "
    "(SELECT id FROM sessions WHERE revoked_at < $1 ORDER BY revoked_at LIMIT $2)",
    "DELETE FROM sessions WHERE id = ANY(ARRAY(SELECT id FROM sessions WHERE revoked_at < $1 "
    "ORDER BY revoked_at LIMIT $2 FOR UPDATE SKIP LOCKED))"};
constexpr Query kPurgeExpiredSessions{
    "purge_expired_sessions",
    "DELETE FROM sessions WHERE id IN "
    "(SELECT id FROM sessions WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)",
    "DELETE FROM sessions WHERE id = ANY(ARRAY(SELECT id FROM sessions WHERE expires_at < $1 "
    "ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED))"};

std::vector<Value> session_insert_params(const models::Session& session) {
  return {session.id,
          session.user_id,
          session.refresh_hash,
          session.created_at,
          session.expires_at,
          session.revoked_at ? Value{*session.revoked_at} : Value{},
          text_or_null(session.ip),
          text_or_null(session.user_agent)};
}

// A row of kListOpenSessions: an open session, without its refresh hash.
models::Session open_session_from_row(const Row& row) {
  return models::Session{.id = row.text(0),
                         .user_id = row.text(1),
                         .refresh_hash = {},
                         .created_at = row.integer(2),
                         .expires_at = row.integer(3),
                         .revoked_at = std::nullopt,
                         .last_used_at = row.integer(4),
                         .ip = row.text_or_empty(5),
                         .user_agent = row.text_or_empty(6)};
}

}  // namespace

boost::asio::awaitable<void> SessionRepository::insert(const models::Session& session) {
  co_await db_.execute(kInsertSession, session_insert_params(session));
}

boost::asio::awaitable<bool> SessionRepository::open_if_password(const models::Session& session,
                                                                 const std::string& password_hash,
                                                                 std::vector<Statement> also) {
  std::vector<Value> values = session_insert_params(session);
  values.emplace_back(password_hash);
  const Result opened =
      co_await execute_with(db_, kOpenSessionIfPassword, std::move(values), std::move(also));
  co_return opened.affected_rows == 1;
}

boost::asio::awaitable<void> SessionRepository::insert_with_user(const models::User& user,
                                                                 const models::Session& session,
                                                                 std::vector<Statement> also) {
  std::vector<Statement> statements{
      {&kInsertUser, user_insert_params(user)},
      {&kInsertSession, session_insert_params(session)},
  };
  append_if_changed(statements, 1, std::move(also));
  co_await db_.execute_in_transaction(std::move(statements));
}

boost::asio::awaitable<RotateResult> SessionRepository::rotate(
    const std::string& session_id, const std::string& user_id, const std::string& old_hash,
    const std::string& new_hash, const SessionUse& use, std::vector<Statement> also) {
  if (!could_be_id(session_id) || !could_be_id(user_id)) co_return RotateResult::invalid;
  const std::int64_t now = use.at;
  const Result rotated =
      co_await execute_with(db_, kRotateSession,
                            params(session_id, user_id, old_hash, new_hash, now,
                                   text_or_null(use.ip), text_or_null(use.user_agent)),
                            std::move(also));
  if (rotated.affected_rows == 1) co_return RotateResult::rotated;
  co_return co_await revoke_if_reused(session_id, user_id, old_hash, now) ? RotateResult::reused
                                                                          : RotateResult::invalid;
}

boost::asio::awaitable<EndResult> SessionRepository::revoke_by_refresh(
    const std::string& session_id, const std::string& user_id, const std::string& refresh_hash,
    std::int64_t now, std::vector<Statement> also) {
  if (!could_be_id(session_id) || !could_be_id(user_id)) co_return EndResult::invalid;
  const Result result =
      co_await execute_with(db_, kRevokeSessionByRefresh,
                            params(session_id, user_id, refresh_hash, now), std::move(also));
  if (result.affected_rows == 1) co_return EndResult::ended;
  co_return co_await revoke_if_reused(session_id, user_id, refresh_hash, now) ? EndResult::reused
                                                                              : EndResult::invalid;
}

boost::asio::awaitable<bool> SessionRepository::revoke_if_reused(const std::string& session_id,
                                                                 const std::string& user_id,
                                                                 const std::string& presented_hash,
                                                                 std::int64_t now) {
  const Result revoked =
      co_await db_.execute(kRevokeReusedSession, params(session_id, user_id, presented_hash, now));
  co_return revoked.affected_rows == 1;
}

boost::asio::awaitable<void> SessionRepository::revoke(const std::string& session_id,
                                                       std::int64_t now) {
  if (!could_be_id(session_id)) co_return;
  co_await db_.execute(kRevokeSession, params(session_id, now));
}

boost::asio::awaitable<std::int64_t> SessionRepository::revoke_all_for_user(
    const std::string& user_id, std::int64_t now, std::vector<Statement> also) {
  if (!could_be_id(user_id)) co_return 0;
  const Result result =
      co_await execute_with(db_, kRevokeUserSessions, params(user_id, now), std::move(also));
  co_return result.affected_rows;
}

boost::asio::awaitable<std::int64_t> SessionRepository::revoke_others_for_user(
    const std::string& user_id, const std::string& keep_session_id, std::int64_t now) {
  const Result result =
      co_await db_.execute(kRevokeOtherUserSessions, params(user_id, keep_session_id, now));
  co_return result.affected_rows;
}

Statement SessionRepository::revoke_others_statement(const std::string& user_id,
                                                     const std::string& keep_session_id,
                                                     std::int64_t now) {
  return Statement{&kRevokeOtherUserSessions, {user_id, keep_session_id, now}};
}

boost::asio::awaitable<std::vector<models::Session>> SessionRepository::list_open(
    const std::string& user_id, std::int64_t now, std::int64_t limit) {
  std::vector<models::Session> sessions;
  if (!could_be_id(user_id)) co_return sessions;
  const Result result = co_await db_.execute(kListOpenSessions, params(user_id, now, limit));
  sessions.reserve(result.rows.size());
  for (const Row& row : result.rows) sessions.push_back(open_session_from_row(row));
  co_return sessions;
}

boost::asio::awaitable<bool> SessionRepository::revoke_open(const std::string& session_id,
                                                            const std::string& user_id,
                                                            std::int64_t now,
                                                            std::vector<Statement> also) {
  if (!could_be_id(session_id) || !could_be_id(user_id)) co_return false;
  const Result result = co_await execute_with(db_, kRevokeOpenSession,
                                              params(session_id, user_id, now), std::move(also));
  co_return result.affected_rows == 1;
}

boost::asio::awaitable<std::int64_t> SessionRepository::purge_ended(std::int64_t cutoff,
                                                                    std::int64_t limit) {
  const std::int64_t revoked =
      (co_await db_.execute(kPurgeRevokedSessions, params(cutoff, limit))).affected_rows;
  if (revoked >= limit) co_return revoked;
  const std::int64_t expired =
      (co_await db_.execute(kPurgeExpiredSessions, params(cutoff, limit - revoked))).affected_rows;
  co_return revoked + expired;
}

}  // namespace gh::db
