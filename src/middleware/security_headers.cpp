#include "middleware/security_headers.hpp"

#include <string>

namespace gh::middleware {

SecurityHeaders::SecurityHeaders(int hsts_max_age_seconds) {
  if (hsts_max_age_seconds > 0)
    hsts_ = "max-age=" + std::to_string(hsts_max_age_seconds) + "; includeSubDomains";
}

boost::asio::awaitable<http::Response> SecurityHeaders::handle(http::Request& req,
                                                               http::Next next) {
  http::Response res = co_await next(req);
  // Only this middleware writes these three, so insert: set would look each one up first.
  res.insert("X-Content-Type-Options", "nosniff");
  res.insert("X-Frame-Options", "DENY");
  res.insert("Referrer-Policy", "no-referrer");
  // API answers carry tokens and personal data: no cache may keep them.
  if (res.find(http::bhttp::field::cache_control) == res.end())
    res.set(http::bhttp::field::cache_control, "no-store");
  if (!hsts_.empty()) res.set(http::bhttp::field::strict_transport_security, hsts_);
  // No version banner: nothing here tells a scanner which build to look up.
  res.erase(http::bhttp::field::server);
  co_return res;
}

}  // namespace gh::middleware
