#pragma once
// Per-client-address rate limit, in the process, in bounded memory. Every answer says
// where the client stands (RateLimit-*); past the limit, 429 with Retry-After.
#include "core/clock.hpp"
#include "core/security_counters.hpp"
#include "core/window_limiter.hpp"
#include "http/middleware.hpp"

namespace gh::middleware {

class RateLimit final : public http::Middleware {
 public:
  RateLimit(int limit, int window_seconds, const Clock& clock, SecurityCounters* counters = nullptr)
      : limiter_(limit, window_seconds), clock_(clock), counters_(counters) {}
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  WindowLimiter limiter_;
  const Clock& clock_;
  SecurityCounters* counters_;  // for /metrics, when there is one
};

}  // namespace gh::middleware
