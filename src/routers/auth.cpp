#include "routers/auth.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/auth.hpp"

namespace gh::routers {
namespace {
// A client that keeps this header from a login and sends it on the next one is not locked
// out by failures from elsewhere (services/device_tokens.hpp).
constexpr std::string_view kDeviceTokenHeader = "Device-Token";
}  // namespace

using boost::asio::awaitable;
using dependencies::client_info;
using http::Access;
using http::Tag;
using http::bhttp::verb;

std::vector<http::Route> auth_routes(services::AuthService& auth) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::post,
                    .path = "/auth/register",
                    .tag = Tag::auth,
                    .summary = "Create an account and open a session",
                    .request_schema = "RegisterRequest",
                    .response_schema = "TokenResponse",
                    .success_status = 201,
                    .errors = {ErrorCode::email_taken},
                    .handler = [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto creds = schemas::decode_register(http::parse_json_body(req));
                      auto pair = co_await auth.register_user(std::move(creds), client_info(req));
                      co_return http::json_response(201, schemas::encode(pair));
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/login",
                    .tag = Tag::auth,
                    .summary = "Log in with email and password",
                    .request_schema = "LoginRequest",
                    .response_schema = "TokenResponse",
                    .errors = {ErrorCode::invalid_credentials, ErrorCode::mfa_required,
                               ErrorCode::too_many_login_attempts},
                    .handler = [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto creds = schemas::decode_login(http::parse_json_body(req));
                      auto result =
                          co_await auth.login(std::move(creds), req.client_key, client_info(req),
                                              req.header(kDeviceTokenHeader));
                      auto res = http::json_response(200, schemas::encode(result.pair));
                      res.set(kDeviceTokenHeader, result.device_token);
                      co_return res;
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/refresh",
                    .tag = Tag::auth,
                    .summary = "Trade a refresh token for a new pair",
                    .request_schema = "RefreshRequest",
                    .response_schema = "TokenResponse",
                    .errors = {ErrorCode::invalid_token},
                    .handler = [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_refresh(http::parse_json_body(req));
                      auto pair = co_await auth.refresh(body.refresh_token, client_info(req));
                      co_return http::json_response(200, schemas::encode(pair));
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/logout",
                    .tag = Tag::auth,
                    .summary = "End the session of a refresh token",
                    .request_schema = "RefreshRequest",
                    .success_status = 204,
                    .errors = {ErrorCode::invalid_token},
                    .handler = [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_refresh(http::parse_json_body(req));
                      co_await auth.logout(body.refresh_token, client_info(req));
                      co_return http::empty_response(204);
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/logout-all",
                    .access = Access::user,
                    .tag = Tag::auth,
                    .summary = "End every session of the caller",
                    .success_status = 204,
                    .before_verification = true,
                    .before_mfa_enrollment = true,
                    .handler = dependencies::with_caller(
                        [&auth](http::Request& req,
                                const services::Principal& who) -> awaitable<http::Response> {
                          co_await auth.logout_all(who, client_info(req));
                          co_return http::empty_response(204);
                        })});
  routes.push_back({.method = verb::post,
                    .path = "/auth/password",
                    .access = Access::user,
                    .tag = Tag::auth,
                    .summary = "Change the password; other sessions end",
                    .request_schema = "PasswordChange",
                    .success_status = 204,
                    .errors = {ErrorCode::invalid_credentials, ErrorCode::too_many_login_attempts},
                    .handler = dependencies::with_caller(
                        [&auth](http::Request& req,
                                const services::Principal& who) -> awaitable<http::Response> {
                          auto change = schemas::decode_password_change(http::parse_json_body(req));
                          co_await auth.change_password(who, std::move(change), req.client_key,
                                                        client_info(req));
                          co_return http::empty_response(204);
                        })});
  return routes;
}

}  // namespace gh::routers
