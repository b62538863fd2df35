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

}  // namespace gh::db
