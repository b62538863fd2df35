#include "services/audit_log.hpp"

#include "core/json_string.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "db/audit_repository.hpp"

namespace gh::services {

bool AuditQueue::push(models::AuditEvent event) {
  const std::lock_guard lock(mutex_);
  if (events_.size() >= capacity_) return false;
  events_.push_back(std::move(event));
  return true;
}

std::vector<models::AuditEvent> AuditQueue::take(std::size_t max) {
  const std::lock_guard lock(mutex_);
  const std::size_t n = std::min(max, events_.size());
  std::vector<models::AuditEvent> batch(std::make_move_iterator(events_.begin()),
                                        std::make_move_iterator(events_.begin() + n));
  events_.erase(events_.begin(), events_.begin() + n);
  return batch;
}

std::size_t AuditQueue::size() const {
  const std::lock_guard lock(mutex_);
  return events_.size();
}

bool AuditLog::records(models::AuditType type, models::AuditOutcome outcome) const {
  if (!options_.enabled) return false;
  return type != models::AuditType::session_refreshed || outcome == models::AuditOutcome::failure ||
         options_.record_refreshes;
}

models::AuditEvent AuditLog::event(models::AuditType type, models::AuditOutcome outcome,
                                   const ClientInfo& from) const {
  const std::int64_t now = clock_.now_micros();
  ClientInfo kept = stored(from);
  return models::AuditEvent{.id = uuid::v7(now),
                            .occurred_at = now,
                            .type = type,
                            .outcome = outcome,
                            .ip = std::move(kept.ip),
                            .user_agent = std::move(kept.user_agent),
                            .request_id = std::move(kept.request_id),
                            .details = "{}"};
}

models::AuditEvent AuditLog::event_by(models::AuditType type, const Actor& actor,
                                      const std::string& subject_user_id) const {
  auto e = event(type, models::AuditOutcome::success, actor.from);
  e.actor_id = actor.id;
  e.subject_user_id = subject_user_id;
  e.session_id = actor.session_id;
  return e;
}

std::vector<db::Statement> AuditLog::with_change(const models::AuditEvent& event) const {
  if (!records(event.type, event.outcome)) return {};
  std::vector<db::Statement> statements;
  statements.push_back(db::AuditRepository::insert_statement(event));
  return statements;
}

void AuditLog::committed(const models::AuditEvent& event) {
  if (records(event.type, event.outcome)) note(event);
}

void AuditLog::failed(models::AuditEvent event) {
  if (!records(event.type, event.outcome)) return;
  note(event);
  if (!queue_.push(std::move(event))) stats_.dropped.fetch_add(1, std::memory_order_relaxed);
}

void AuditLog::unrecorded_junk() {
  if (options_.enabled) stats_.junk_tokens.fetch_add(1, std::memory_order_relaxed);
}

// One JSON line per event, so a SIEM can take the trail from the logs alone.
void AuditLog::note(const models::AuditEvent& e) {
  stats_
      .events[static_cast<std::size_t>(e.type)][e.outcome == models::AuditOutcome::success ? 0 : 1]
      .fetch_add(1, std::memory_order_relaxed);
  log::info("audit", {{"id", std::string_view(e.id)},
                      {"type", models::audit_type_name(e.type)},
                      {"outcome", models::outcome_name(e.outcome)},
                      {"actor_id", std::string_view(e.actor_id)},
                      {"subject_user_id", std::string_view(e.subject_user_id)},
                      {"session_id", std::string_view(e.session_id)},
                      {"ip", std::string_view(e.ip)},
                      {"user_agent", std::string_view(e.user_agent)},
                      {"request_id", std::string_view(e.request_id)},
                      {"reason", std::string_view(e.reason)},
                      {"details", std::string_view(e.details)}});
}

void AuditDetails::name(std::string_view name) {
  if (!body_.empty()) body_.push_back(',');
  append_json_string(body_, name);
  body_.push_back(':');
}

AuditDetails& AuditDetails::add(std::string_view n, std::string_view value) {
  name(n);
  append_json_string(body_, value);
  return *this;
}

AuditDetails& AuditDetails::add(std::string_view n, std::int64_t value) {
  name(n);
  body_ += std::to_string(value);
  return *this;
}

AuditDetails& AuditDetails::add(std::string_view n, bool value) {
  name(n);
  body_ += value ? "true" : "false";
  return *this;
}

AuditDetails& AuditDetails::add(std::string_view n, const std::vector<std::string_view>& values) {
  name(n);
  body_.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) body_.push_back(',');
    append_json_string(body_, values[i]);
  }
  body_.push_back(']');
  return *this;
}

}  // namespace gh::services
