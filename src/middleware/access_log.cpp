#include "middleware/access_log.hpp"

#include <chrono>

#include "core/log.hpp"
#include "http/route.hpp"

namespace gh::middleware {

boost::asio::awaitable<http::Response> AccessLog::handle(http::Request& req, http::Next next) {
  if (!log::enabled(log::Level::info)) co_return co_await next(req);
  auto start = std::chrono::steady_clock::now();
  http::Response res = co_await next(req);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::string_view route = req.route ? std::string_view(req.route->path) : "unmatched";
  std::string_view method{req.raw.method_string().data(), req.raw.method_string().size()};
  auto status = static_cast<long long>(res.result_int());
  // user_id only when known: an empty string would read as a user with an empty id.
  if (req.user_id.empty()) {
    log::info("request", {{"request_id", req.request_id},
                          {"method", method},
                          {"route", route},
                          {"status", status},
                          {"duration_ms", ms},
                          {"client", req.client_ip}});
  } else {
    log::info("request", {{"request_id", req.request_id},
                          {"method", method},
                          {"route", route},
                          {"status", status},
                          {"duration_ms", ms},
                          {"client", req.client_ip},
                          {"user_id", std::string_view(req.user_id)}});
  }
  co_return res;
}

}  // namespace gh::middleware
