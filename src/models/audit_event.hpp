#pragma once
// An audit event (API.md part two, "Audit log"): who did what to whom, from where, and how
// it ended. The catalog of types is declared here once: the writer, the log line, the
// metrics, the query decoder and the documentation all read it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::models {

enum class AuditType {
  user_registered,
  user_created,
  user_updated,
  user_deleted,
  auth_login,
  auth_login_throttled,
  session_refreshed,
  session_refresh_reuse,
  session_ended,
  password_changed,
  key_created,
  key_activated,
  key_retired,
  key_revoked,
  key_deleted,
  password_reset_requested,
  password_reset,
  email_verification_sent,
  email_verified,
  email_delivery_failed,
  mfa_enrolled,
  mfa_challenge,
  mfa_disabled,
  mfa_recovery_code_used,
  mfa_recovery_codes_regenerated,
};

inline constexpr std::array<std::string_view, 25> kAuditTypeNames{
    "user.registered",
    "user.created",
    "user.updated",
    "user.deleted",
    "auth.login",
    "auth.login_throttled",
    "session.refreshed",
    "session.refresh_reuse",
    "session.ended",
    "password.changed",
    "key.created",
    "key.activated",
    "key.retired",
    "key.revoked",
    "key.deleted",
    "password.reset_requested",
    "password.reset",
    "email.verification_sent",
    "email.verified",
    "email.delivery_failed",
    "mfa.enrolled",
    "mfa.challenge",
    "mfa.disabled",
    "mfa.recovery_code_used",
    "mfa.recovery_codes_regenerated",
};
inline constexpr std::size_t kAuditTypeCount = kAuditTypeNames.size();
static_assert(static_cast<std::size_t>(AuditType::mfa_recovery_codes_regenerated) + 1 ==
              kAuditTypeCount);

constexpr std::string_view audit_type_name(AuditType t) {
  return kAuditTypeNames[static_cast<std::size_t>(t)];
}
constexpr std::optional<AuditType> parse_audit_type(std::string_view name) {
  for (std::size_t i = 0; i < kAuditTypeCount; ++i)
    if (kAuditTypeNames[i] == name) return static_cast<AuditType>(i);
  return std::nullopt;
}

enum class AuditOutcome { success, failure };
constexpr std::string_view outcome_name(AuditOutcome o) {
  return o == AuditOutcome::success ? "success" : "failure";
}

struct AuditEvent {
  std::string id;                // UUIDv7 of occurred_at
  std::int64_t occurred_at = 0;  // microseconds since the epoch
  AuditType type = AuditType::auth_login;
  AuditOutcome outcome = AuditOutcome::success;
  // Empty: none (stored as NULL).
  std::string actor_id;         // who acted: the user themself, or an admin
  std::string subject_user_id;  // whom it concerns
  std::string session_id;
  std::string ip;
  std::string user_agent;
  std::string request_id;
  std::string reason;   // one word from a closed list per type (e.g. "logout")
  std::string details;  // a JSON object of allow-listed fields; "{}" when none
  // A failed login names the account it was aimed at: the writer looks the address up
  // (off the login's path) when subject_user_id is empty. Never stored itself.
  std::string subject_email;
};

// Where a page of events starts: after the event at `occurred_at` with id `id`, newest first.
struct AuditPosition {
  std::int64_t occurred_at = 0;
  std::string id;
};

struct AuditQuery {
  std::vector<AuditType> types;  // any of them; empty: every type
  std::optional<AuditOutcome> outcome;
  std::optional<std::string> user_id;  // the subject or the actor
  std::optional<std::string> actor_id;
  std::optional<std::string> subject_user_id;  // /users/me/audit-events
  std::optional<std::string> ip;
  std::optional<std::int64_t> since;  // occurred_at >= since
  std::optional<std::int64_t> until;  // occurred_at < until
  std::optional<AuditPosition> after;
  std::int64_t limit = 50;
};

struct AuditPage {
  std::vector<AuditEvent> events;
  std::optional<AuditPosition> next;  // set while more events follow the page
};

}  // namespace gh::models
