#pragma once
// Headers that cost nothing and close whole classes of browser attacks.
#include "http/middleware.hpp"

namespace gh::middleware {

class SecurityHeaders final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
