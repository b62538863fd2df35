#pragma once
// Headers that cost nothing and close whole classes of browser attacks.
#include "http/middleware.hpp"

namespace gh::middleware {

class SecurityHeaders final : public http::Middleware {
 public:
  // hsts_max_age_seconds > 0 adds Strict-Transport-Security; 0 leaves it to the TLS proxy.
  explicit SecurityHeaders(int hsts_max_age_seconds = 0);
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;

 private:
  std::string hsts_;
};

}  // namespace gh::middleware
