#pragma once
// Gives every request an id (the client's X-Request-ID when it is sane, or a new one) and
// puts it on every response, errors included.
#include "http/middleware.hpp"

namespace gh::middleware {

class RequestId final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
