#include "http/middleware.hpp"

#include "http/error_envelope.hpp"

namespace gh::http {
namespace {

boost::asio::awaitable<Response> authorized(const Authorizer& authorizer, const Route& route,
                                            Request& req) {
  co_await authorizer.authorize(req, route);
  co_return co_await route.handler(req);
}

}  // namespace

// Not a coroutine: it hands over the next stage's own awaitable, so a request crosses one
// coroutine frame per middleware, not two. What it throws reaches the caller's co_await
// expression, inside the same try as the wait would be.
boost::asio::awaitable<Response> Next::operator()(Request& req) const {
  if (!rest_.empty())
    return rest_.front()->handle(req, Next(rest_.subspan(1), router_, authorizer_));
  if (req.rejected) throw *req.rejected;
  const Route& route = router_.match(req);
  // Public routes skip the extra coroutine frame.
  if (route.access == Access::anyone) return route.handler(req);
  return authorized(authorizer_, route, req);
}

boost::asio::awaitable<Response> Pipeline::run(Request& req) const {
  // The route is known before any middleware runs, so what one refuses (the rate limiter's
  // 429) is written as the route declares its errors (Route::error_body); the end of the
  // chain answers 404 or 405 when there is none.
  if (!req.rejected) router_.find(req);
  try {
    co_return co_await Next(middleware_, router_, authorizer_)(req);
  } catch (const ApiError& e) {
    co_return error_response(e);
  } catch (...) {
    co_return internal_error_response();
  }
}

}  // namespace gh::http
