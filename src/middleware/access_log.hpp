#pragma once
// One log line per request: who, what route, which status, how long. Never bodies,
// never the Authorization header.
#include "http/middleware.hpp"

namespace gh::middleware {

class AccessLog final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
