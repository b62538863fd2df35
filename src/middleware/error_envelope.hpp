#pragma once
// Turns anything thrown below it into the error body the route declares (the envelope, or
// OAuth's for POST /auth/token), so the middleware above (request id, CORS, security
// headers) still decorate error responses.
#include "http/middleware.hpp"

namespace gh::middleware {

class ErrorEnvelope final : public http::Middleware {
 public:
  boost::asio::awaitable<http::Response> handle(http::Request& req, http::Next next) override;
};

}  // namespace gh::middleware
