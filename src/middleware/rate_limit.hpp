#pragma once
// Per-client-address rate limit: in the process, or shared through Redis (see
// core/rate_limiter.hpp). Every answer says where the client stands (RateLimit-*); past
// the limit, 429 with Retry-After.
#include "core/rate_limiter.hpp"
#include "http/middleware.hpp"

namespace gh::middleware {

class RateLimit final : public http::Middleware {
 public:
  explicit RateLimit(RateLimiter& limiter) : limiter_(limiter) {}
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  RateLimiter& limiter_;
};

}  // namespace gh::middleware
