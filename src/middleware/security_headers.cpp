#include "middleware/security_headers.hpp"

namespace gh::middleware {

boost::asio::awaitable<http::Response> SecurityHeaders::handle(http::Request& req,
                                                               http::Next next) {
  http::Response res = co_await next(req);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  // API answers carry tokens and personal data: no cache may keep them.
  if (res.find(http::bhttp::field::cache_control) == res.end())
    res.set(http::bhttp::field::cache_control, "no-store");
  co_return res;
}

}  // namespace gh::middleware
