#include "db/audit_repository.hpp"

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

// The retention purge, oldest first along audit_events_time; on PostgreSQL the ids come as
// an array so the DELETE finds its rows by key (see kPurgeRevokedSessions).
constexpr Query kPurgeAuditEvents{
    "purge_audit_events",
    "DELETE FROM audit_events WHERE id IN "
    "(SELECT id FROM audit_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)",
    "DELETE FROM audit_events WHERE id = ANY(ARRAY(SELECT id FROM audit_events "
    "WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED))"};

Value optional_text(const std::string& text) {
  return text.empty() ? Value{} : Value{text};
}

}  // namespace

Statement AuditRepository::insert_statement(const models::AuditEvent& e,
                                            std::optional<std::size_t> only_if_changed) {
  return Statement{
      &kInsertAuditEvent,
      {e.id, e.occurred_at, std::string(models::audit_type_name(e.type)),
       std::string(models::outcome_name(e.outcome)), optional_text(e.actor_id),
       optional_text(e.subject_user_id), optional_text(e.session_id), optional_text(e.ip),
       optional_text(e.user_agent), optional_text(e.request_id), optional_text(e.reason),
       e.details.empty() ? std::string("{}") : e.details, optional_text(e.subject_email)},
      only_if_changed};
}

boost::asio::awaitable<void> AuditRepository::insert_all(
    const std::vector<models::AuditEvent>& events) {
  std::vector<Statement> statements;
  statements.reserve(events.size());
  for (const auto& e : events) statements.push_back(insert_statement(e));
  co_await db_.execute_in_transaction(std::move(statements));
}

boost::asio::awaitable<std::int64_t> AuditRepository::purge_before(std::int64_t cutoff,
                                                                   std::int64_t limit) {
  std::vector<Value> values{cutoff, limit};
  co_return (co_await db_.execute(kPurgeAuditEvents, std::move(values))).affected_rows;
}

}  // namespace gh::db
