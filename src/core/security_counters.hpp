#pragma once
// Counts of security events for /metrics: failed logins, throttled clients, ended sessions,
// refresh-token reuse. These are rare next to requests, so one relaxed atomic each is
// cheap enough; the per-request counters live in RequestMetrics, per thread.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gh {

// session_end: the owner ended one session (DELETE /users/me/sessions/{sid}); admin: an admin
// ended one or all of a user's sessions.
enum class RevokeReason : std::size_t {
  logout,
  logout_all,
  password_change,
  refresh_reuse,
  session_end,
  admin
};
inline constexpr std::array<std::string_view, 6> kRevokeReasons{
    "logout", "logout_all", "password_change", "refresh_reuse", "session_end", "admin"};

struct SecurityCounters {
  std::atomic<std::uint64_t> failed_logins{0};
  std::atomic<std::uint64_t> refresh_reuse{0};
  std::atomic<std::uint64_t> rate_limited{0};     // per-address request limit (429)
  std::atomic<std::uint64_t> login_throttled{0};  // per-account failed-login throttle (429)
  std::array<std::atomic<std::uint64_t>, kRevokeReasons.size()> revocations{};

  void revoked(RevokeReason why) {
    revocations[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  }
};

// Counts one event when there is a counter to count it in (services run without one in
// unit tests).
inline void count(SecurityCounters* c, std::atomic<std::uint64_t> SecurityCounters::*event) {
  if (c) (c->*event).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace gh
