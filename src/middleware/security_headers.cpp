#include "middleware/security_headers.hpp"

namespace gh::middleware {

std::vector<std::pair<std::string, std::string>> fixed_security_headers(int hsts_max_age_seconds) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  if (hsts_max_age_seconds > 0)
    fields.emplace_back("Strict-Transport-Security",
                        "max-age=" + std::to_string(hsts_max_age_seconds) + "; includeSubDomains");
  return fields;
}

boost::asio::awaitable<http::Response> SecurityHeaders::handle(http::Request& req,
                                                               http::Next next) {
  http::Response res = co_await next(req);
  // API answers carry tokens and personal data: no cache may keep them.
  if (res.find(http::bhttp::field::cache_control) == res.end())
    res.insert(http::bhttp::field::cache_control, "no-store");
  // No version banner: nothing here tells a scanner which build to look up.
  res.erase(http::bhttp::field::server);
  co_return res;
}

}  // namespace gh::middleware
