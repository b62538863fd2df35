#pragma once
// Turns anything thrown below it into the one error envelope, so the middleware above
// (request id, CORS, security headers) still decorate error responses.
#include "http/middleware.hpp"

namespace gh::middleware {

class ErrorEnvelope final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
