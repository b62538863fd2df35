#include "middleware/cors.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>

#include "core/api_error.hpp"
#include "http/error_envelope.hpp"
#include "http/json_body.hpp"

namespace gh::middleware {
namespace {

constexpr std::string_view kAllowMethods = "GET, POST, PATCH, DELETE, OPTIONS";
constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, X-Request-ID, Device-Token";
constexpr std::string_view kExposeHeaders =
    "X-Request-ID, X-Total-Count, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, "
    "Retry-After, Device-Token";

// Requested header names are echoed only when they look like header names.
bool token_list(std::string_view s) {
  if (s.size() > 1024) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ',' || c == ' ';
  });
}

// A method a plain form or fetch can send without a preflight and that may change state.
bool unsafe(http::bhttp::verb method) {
  using http::bhttp::verb;
  return method != verb::get && method != verb::head && method != verb::options;
}

// The page is this server's own (/docs posting to /auth/token): its Origin names the Host
// the browser sent the request to.
bool same_origin(std::string_view origin, std::string_view host) {
  const auto scheme_end = origin.find("://");
  return scheme_end != std::string_view::npos && !host.empty() &&
         boost::beast::iequals(origin.substr(scheme_end + 3), host);
}

}  // namespace

Cors::Cors(std::vector<std::string> allowed_origins) : origins_(std::move(allowed_origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool Cors::allowed(std::string_view origin) const {
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

http::Response Cors::preflight(const http::Request& req, std::string_view origin) const {
  http::Response res = http::empty_response(204);
  res.set("Access-Control-Allow-Origin", origin);
  res.set("Access-Control-Allow-Credentials", "true");
  res.set("Access-Control-Allow-Methods", kAllowMethods);
  std::string_view asked = req.header("Access-Control-Request-Headers");
  res.set("Access-Control-Allow-Headers",
          !asked.empty() && token_list(asked) ? asked : kAllowHeaders);
  res.set("Access-Control-Max-Age", "600");
  res.set(http::bhttp::field::vary, "Origin");
  return res;
}

boost::asio::awaitable<http::Response> Cors::handle(http::Request& req, http::Next next) {
  std::string_view origin = req.header(http::bhttp::field::origin);
  bool is_preflight = req.raw.method() == http::bhttp::verb::options && !origin.empty() &&
                      !req.header("Access-Control-Request-Method").empty();
  if (is_preflight) {
    if (allowed(origin)) co_return preflight(req, origin);
    co_return http::error_response(ApiError(ErrorCode::cors_origin_not_allowed));
  }
  // A browser sends a form POST (POST /auth/token) from any site without a preflight: a page
  // elsewhere could log its visitors in, or spend their address's failed-login budget. So a
  // request that may change state, from a browser page of an origin neither allowed nor
  // this server's own, is refused before it reaches a route.
  if (!origin.empty() && unsafe(req.raw.method()) && !allowed(origin) &&
      !same_origin(origin, req.header(http::bhttp::field::host)))
    co_return http::error_response(ApiError(ErrorCode::cors_origin_not_allowed));
  http::Response res = co_await next(req);
  // A public resource (the JWKS) says "*" itself: anyone may read it, with no credentials.
  const bool public_resource = res["Access-Control-Allow-Origin"] == "*";
  if (!origin.empty() && allowed(origin) && !public_resource) {
    // With credentials the origin is echoed, never "*" (browsers refuse the pair).
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Access-Control-Allow-Credentials", "true");
    res.set("Access-Control-Expose-Headers", kExposeHeaders);
  }
  // Keep what the handler already varies on (the docs assets: Accept-Encoding).
  auto vary = res.find(http::bhttp::field::vary);
  if (vary == res.end())
    res.insert(http::bhttp::field::vary, "Origin");  // just looked for: no second lookup
  else
    res.set(http::bhttp::field::vary, std::string(vary->value()) + ", Origin");
  co_return res;
}

}  // namespace gh::middleware
