#include "db/audit_repository.hpp"

#include "db/audit_list_query.hpp"
#include "db/ids.hpp"
#include "db/params.hpp"

namespace gh::db {
namespace {

// $1..$12 the columns; $13 the address a failed login named: when the subject is not known
// ($6 NULL), the account at that address (if any) is the subject. The lookup runs here, in
// the writer's batch, not on the login's path.
constexpr Query kInsertAuditEvent{
    "insert_audit_event",
    "INSERT INTO audit_events (id, occurred_at, type, outcome, actor_id, subject_user_id, "
    "session_id, ip, user_agent, request_id, reason, details) VALUES ($1, $2, $3, $4, $5, "
    "COALESCE($6, (SELECT id FROM users WHERE email = $13)), $7, $8, $9, $10, $11, $12)",
    "INSERT INTO audit_events (id, occurred_at, type, outcome, actor_id, subject_user_id, "
    "session_id, ip, user_agent, request_id, reason, details) VALUES ($1::uuid, $2, $3, $4, "
    "$5::uuid, COALESCE($6::uuid, (SELECT id FROM users WHERE lower(email) = lower($13::text))), "
    "$7::uuid, $8, $9, $10, $11, $12)"};

// The retention purge: a batch of the oldest events before $1, at most $2, walked from the
// old end of the time index. On PostgreSQL the ids come as an array (an InitPlan) so the
// DELETE finds its rows by primary key whatever the plan cache decides, and rows another
// purge holds are skipped rather than waited for (as SessionRepository's purge does).
constexpr Query kPurgeAuditEvents{
    "purge_audit_events",
    "DELETE FROM audit_events WHERE rowid IN (SELECT rowid FROM audit_events "
    "WHERE occurred_at < $1 ORDER BY occurred_at, id LIMIT $2)",
    "DELETE FROM audit_events WHERE id = ANY(ARRAY(SELECT id FROM audit_events "
    "WHERE occurred_at < $1 ORDER BY occurred_at, id LIMIT $2 FOR UPDATE SKIP LOCKED))"};

// A row of audit_list_statement's SELECT. A type or outcome this build does not know (a
// newer instance wrote it) cannot be shown as one of ours: such rows are skipped.
std::optional<models::AuditEvent> event_from_row(const Row& row) {
  const auto type = models::parse_audit_type(row.text(2));
  if (!type) return std::nullopt;
  models::AuditEvent e;
  e.id = row.text(0);
  e.occurred_at = row.integer(1);
  e.type = *type;
  e.outcome =
      row.text(3) == "failure" ? models::AuditOutcome::failure : models::AuditOutcome::success;
  e.actor_id = row.text_or_empty(4);
  e.subject_user_id = row.text_or_empty(5);
  e.session_id = row.text_or_empty(6);
  e.ip = row.text_or_empty(7);
  e.user_agent = row.text_or_empty(8);
  e.request_id = row.text_or_empty(9);
  e.reason = row.text_or_empty(10);
  e.details = row.text(11);
  return e;
}

bool ids_could_exist(const models::AuditQuery& q) {
  for (const auto* id : {&q.user_id, &q.actor_id, &q.subject_user_id})
    if (*id && !could_be_id(**id)) return false;
  return !q.after || could_be_id(q.after->id);
}

}  // namespace

Statement AuditRepository::insert_statement(const models::AuditEvent& e,
                                            std::optional<std::size_t> only_if_changed) {
  return Statement{
      &kInsertAuditEvent,
      {e.id, e.occurred_at, std::string(models::audit_type_name(e.type)),
       std::string(models::outcome_name(e.outcome)), text_or_null(e.actor_id),
       text_or_null(e.subject_user_id), text_or_null(e.session_id), text_or_null(e.ip),
       text_or_null(e.user_agent), text_or_null(e.request_id), text_or_null(e.reason),
       e.details.empty() ? std::string("{}") : e.details, text_or_null(e.subject_email)},
      only_if_changed};
}

boost::asio::awaitable<void> AuditRepository::insert_all(
    const std::vector<models::AuditEvent>& events) {
  std::vector<Statement> statements;
  statements.reserve(events.size());
  for (const auto& e : events) statements.push_back(insert_statement(e));
  co_await db_.execute_in_transaction(std::move(statements));
}

boost::asio::awaitable<std::vector<models::AuditEvent>> AuditRepository::list(
    const models::AuditQuery& q) {
  std::vector<models::AuditEvent> events;
  if (!ids_could_exist(q) || q.limit <= 0) co_return events;
  auto statement = audit_list_statement(q);
  const Result result = co_await db_.execute(statement.query, std::move(statement.params));
  events.reserve(result.rows.size());
  for (const Row& row : result.rows)
    if (auto e = event_from_row(row)) events.push_back(std::move(*e));
  co_return events;
}

boost::asio::awaitable<std::int64_t> AuditRepository::purge_before(std::int64_t cutoff,
                                                                   std::int64_t limit) {
  co_return (co_await db_.execute(kPurgeAuditEvents, params(cutoff, limit))).affected_rows;
}

}  // namespace gh::db
