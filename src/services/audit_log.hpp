#pragma once
// The audit log's write side (API.md part two, "Audit log"). A success is written in the
// transaction of the change it records: a service asks `with_change` for the statement,
// hands it to the repository with the change, and calls `committed` once the change has
// committed (the log line and the count). A failure is `failed`: it goes to a bounded queue
// that a background writer empties in batches (jobs/audit_writer.hpp), so a storm of bad
// logins never waits on the database for its audit rows; what the queue cannot take is
// dropped and counted, never waited for.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "models/audit_event.hpp"
#include "services/client_info.hpp"

namespace gh::services {

// What /metrics reports: events by type and outcome, and failures the queue dropped.
struct AuditStats {
  std::array<std::array<std::atomic<std::uint64_t>, 2>, models::kAuditTypeCount> events{};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> junk_tokens{0};  // refused tokens not ours: counted, not recorded
};

// Failure events waiting for the writer; bounded, shared by every io thread.
class AuditQueue {
 public:
  explicit AuditQueue(std::size_t capacity) : capacity_(capacity) {}
  // False when full: the event is not kept.
  bool push(models::AuditEvent event);
  // At most `max` events, oldest first.
  std::vector<models::AuditEvent> take(std::size_t max);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::deque<models::AuditEvent> events_;
  std::size_t capacity_;
};

// Who acts, for the events of what they do: the caller's id and session, and where they
// call from.
struct Actor {
  std::string id;
  std::string session_id;
  ClientInfo from;
};

struct AuditOptions {
  bool enabled = true;            // AUDIT_ENABLED
  bool record_refreshes = false;  // AUDIT_INCLUDE lists session.refreshed
};

class AuditLog {
 public:
  AuditLog(AuditOptions options, const Clock& clock, AuditQueue& queue, AuditStats& stats)
      : options_(options), clock_(clock), queue_(queue), stats_(stats) {}

  // Whether such events are recorded at all (AUDIT_ENABLED; AUDIT_INCLUDE for successful
  // refreshes, the one optional kind: a refused refresh token is always recorded).
  bool records(models::AuditType type, models::AuditOutcome outcome) const;
  // An event of `type` happening now, from `from` (address, User-Agent, request id).
  models::AuditEvent event(models::AuditType type, models::AuditOutcome outcome,
                           const ClientInfo& from) const;
  // The same, done by `actor` to `subject_user_id`.
  models::AuditEvent event_by(models::AuditType type, const Actor& actor,
                              const std::string& subject_user_id) const;
  // The statements that write `event` in its change's transaction: the `also` of the
  // repository method that makes the change (db/with_change.hpp); none when not recorded.
  std::vector<db::Statement> with_change(const models::AuditEvent& event) const;
  // After the change committed: the log line and the count.
  void committed(const models::AuditEvent& event);
  // A failure (or a consequence with no change of its own): the log line, the count, and
  // the queue to the database.
  void failed(models::AuditEvent event);
  // A refresh or logout token that is not one of ours (no valid signature, or expired): it
  // names nobody, costs the sender nothing, and could fill the table at the request rate
  // with no account at all; so it is only counted (with the log on).
  void unrecorded_junk();

 private:
  void note(const models::AuditEvent& event);

  AuditOptions options_;
  const Clock& clock_;
  AuditQueue& queue_;
  AuditStats& stats_;
};

// `details` as a JSON object from allow-listed names and values, written by the services.
class AuditDetails {
 public:
  AuditDetails& add(std::string_view name, std::string_view value);
  AuditDetails& add(std::string_view name, std::int64_t value);
  AuditDetails& add(std::string_view name, bool value);
  AuditDetails& add(std::string_view name, const std::vector<std::string_view>& values);
  std::string json() const { return body_.empty() ? "{}" : "{" + body_ + "}"; }

 private:
  void name(std::string_view name);
  std::string body_;
};

}  // namespace gh::services
