#include "middleware/error_envelope.hpp"

#include "core/log.hpp"
#include "db/database.hpp"
#include "http/error_envelope.hpp"

namespace gh::middleware {

boost::asio::awaitable<http::Response> ErrorEnvelope::handle(http::Request& req, http::Next next) {
  try {
    co_return co_await next(req);
  } catch (const ApiError& e) {
    co_return http::error_response(e);
  } catch (const db::DbError& e) {
    // The database's own words go to the log, never to the client.
    log::error("database_error", {{"request_id", req.request_id}, {"what", e.what()}});
    if (e.kind() == db::DbError::Kind::unavailable)
      co_return http::error_response(service_unavailable("Database unavailable"));
    co_return http::internal_error_response();
  } catch (const std::exception& e) {
    log::error("unhandled_exception", {{"request_id", req.request_id}, {"what", e.what()}});
    co_return http::internal_error_response();
  }
}

}  // namespace gh::middleware
