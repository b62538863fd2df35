#pragma once
// Headers that cost nothing and close whole classes of browser attacks. Those that never
// vary go to the server once (ServerOptions::fixed_fields), which writes them on every
// response, refusals before the pipeline included; this middleware does the rest.
#include <string>
#include <utility>
#include <vector>

#include "http/middleware.hpp"

namespace gh::middleware {

// X-Content-Type-Options, X-Frame-Options, Referrer-Policy, and Strict-Transport-Security
// when hsts_max_age_seconds > 0 (0 leaves it to the TLS proxy).
std::vector<std::pair<std::string, std::string>> fixed_security_headers(int hsts_max_age_seconds);

// Cache-Control: no-store unless the handler chose otherwise; no Server header.
class SecurityHeaders final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
