#include "routers/oauth.hpp"

#include <boost/json/serialize.hpp>

#include "dependencies/client.hpp"
#include "http/form_body.hpp"
#include "http/json_body.hpp"
#include "schemas/oauth.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using dependencies::client_info;
using http::Tag;
using http::bhttp::verb;

namespace {

// The header /auth/login sends and reads (routers/auth.cpp): a client of the token endpoint
// keeps the same standing against the failed-login limits.
constexpr std::string_view kDeviceTokenHeader = "Device-Token";

// RFC 6749 §4.3 and §6 through the same service calls as /auth/login and /auth/refresh, so
// the throttles, the equal timing of unknown accounts and the rotation are theirs.
awaitable<http::Response> token(services::AuthService& auth, std::int64_t expires_in,
                                http::Request& req) {
  auto request = schemas::decode_token_request(http::parse_form_body(req));
  std::string device_token;
  services::TokenPair pair;
  if (request.grant == schemas::Grant::password) {
    auto result = co_await auth.login(std::move(request.credentials), req.client_key,
                                      client_info(req), req.header(kDeviceTokenHeader));
    pair = std::move(result.pair);
    device_token = std::move(result.device_token);
  } else {
    pair = co_await auth.refresh(request.refresh_token, client_info(req));
  }
  auto res = http::json_response(200, schemas::encode_oauth_token(pair, expires_in));
  // RFC 6749 §5.1: no cache may keep a token (security headers add no-store already).
  res.set(http::bhttp::field::pragma, "no-cache");
  if (!device_token.empty()) res.set(kDeviceTokenHeader, device_token);
  co_return res;
}

}  // namespace

std::vector<http::Route> oauth_routes(services::AuthService& auth, const OAuthServer& server) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::post,
                    .path = "/auth/token",
                    .tag = Tag::auth,
                    .summary = "OAuth 2.0 token endpoint: password and refresh_token grants",
                    .request_schema = "TokenRequest",
                    .response_schema = "OAuthTokenResponse",
                    .errors = {ErrorCode::invalid_credentials, ErrorCode::invalid_token,
                               ErrorCode::unsupported_grant_type, ErrorCode::mfa_required,
                               ErrorCode::too_many_login_attempts},
                    .error_body = http::ErrorBody::oauth,
                    .handler = [&auth, expires_in = server.access_seconds](http::Request& req) {
                      return token(auth, expires_in, req);
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/.well-known/oauth-authorization-server",
                    .tag = Tag::keys,
                    .summary = "Where the token endpoint and the public keys are (RFC 8414)",
                    .response_schema = "AuthorizationServerMetadata",
                    .handler = [body = boost::json::serialize(schemas::encode_server_metadata(
                                    server.issuer, server.public_url))](
                                   http::Request&) -> awaitable<http::Response> {
                      auto res = http::json_response(200, body);
                      res.set(http::bhttp::field::cache_control, "public, max-age=300");
                      res.set(http::bhttp::field::access_control_allow_origin, "*");
                      co_return res;
                    }});
  return routes;
}

}  // namespace gh::routers
