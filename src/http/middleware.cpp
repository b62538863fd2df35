#include "http/middleware.hpp"

#include "http/error_envelope.hpp"

namespace gh::http {

boost::asio::awaitable<Response> Next::operator()(Request& req) const {
  if (!rest_.empty())
    co_return co_await rest_.front()->handle(req, Next(rest_.subspan(1), router_));
  if (req.rejected) throw *req.rejected;
  const Route& route = router_.match(req);
  co_return co_await route.handler(req);
}

boost::asio::awaitable<Response> Pipeline::run(Request& req) const {
  try {
    co_return co_await Next(middleware_, router_)(req);
  } catch (const ApiError& e) {
    co_return error_response(e);
  } catch (...) {
    co_return internal_error_response();
  }
}

}  // namespace gh::http
