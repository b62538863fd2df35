#pragma once
// Per-client-address rate limit: in the process, or shared through Redis (see
// core/rate_limiter.hpp). Every answer says where the client stands (RateLimit-*); past
// the limit, 429 with Retry-After.
#include "core/rate_limiter.hpp"
#include "core/security_counters.hpp"
#include "http/middleware.hpp"

namespace gh::middleware {

class RateLimit final : public http::Middleware {
 public:
  explicit RateLimit(RateLimiter& limiter, SecurityCounters* counters = nullptr)
      : limiter_(limiter), counters_(counters) {}
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  RateLimiter& limiter_;
  SecurityCounters* counters_;  // for /metrics, when there is one
};

}  // namespace gh::middleware
