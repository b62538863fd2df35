#include "middleware/rate_limit.hpp"

#include "core/api_error.hpp"

namespace gh::middleware {

boost::asio::awaitable<http::Response> RateLimit::handle(http::Request& req, http::Next next) {
  auto d = co_await limiter_.hit(req.client_key);
  if (!d.allowed) {
    count(counters_, &SecurityCounters::rate_limited);
    ApiError e(ErrorCode::rate_limited);
    e.retry_after = d.retry_after_seconds;
    e.headers = {{"RateLimit-Limit", std::to_string(d.limit)},
                 {"RateLimit-Remaining", "0"},
                 {"RateLimit-Reset", std::to_string(d.reset_seconds)}};
    throw e;
  }
  http::Response res = co_await next(req);
  res.set("RateLimit-Limit", std::to_string(d.limit));
  res.set("RateLimit-Remaining", std::to_string(d.remaining));
  res.set("RateLimit-Reset", std::to_string(d.reset_seconds));
  co_return res;
}

}  // namespace gh::middleware
