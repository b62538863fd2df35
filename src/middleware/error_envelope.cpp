#include "middleware/error_envelope.hpp"

#include "core/log.hpp"
#include "db/database.hpp"
#include "http/oauth_error.hpp"

namespace gh::middleware {

boost::asio::awaitable<http::Response> ErrorEnvelope::handle(http::Request& req, http::Next next) {
  try {
    co_return co_await next(req);
  } catch (const ApiError& e) {
    co_return http::route_error_response(req, e);
  } catch (const db::DbError& e) {
    // The database's own words go to the log, never to the client.
    log::error("database_error", {{"request_id", req.request_id}, {"what", e.what()}});
    if (e.kind() == db::DbError::Kind::unavailable)
      co_return http::route_error_response(req, service_unavailable("Database unavailable"));
    co_return http::route_error_response(req, ApiError(ErrorCode::internal_error));
  } catch (const std::exception& e) {
    log::error("unhandled_exception", {{"request_id", req.request_id}, {"what", e.what()}});
    co_return http::route_error_response(req, ApiError(ErrorCode::internal_error));
  }
}

}  // namespace gh::middleware
