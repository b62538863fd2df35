#include "routers/auth.hpp"

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
using http::Access;
using http::bhttp::verb;

std::vector<http::Route> auth_routes(services::AuthService& auth) {
  std::vector<http::Route> routes;
  routes.push_back({verb::post,
                    "/auth/register",
                    [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto creds = schemas::decode_register(http::parse_json_body(req));
                      auto pair = co_await auth.register_user(std::move(creds));
                      co_return http::json_response(201, schemas::encode(pair));
                    },
                    Access::anyone,
                    "auth",
                    "Create an account and open a session",
                    "RegisterRequest",
                    "TokenResponse",
                    201,
                    {409, 415, 422, 503}});
  routes.push_back({verb::post,
                    "/auth/login",
                    [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto creds = schemas::decode_login(http::parse_json_body(req));
                      auto result = co_await auth.login(std::move(creds), req.client_key,
                                                        req.header(kDeviceTokenHeader));
                      auto res = http::json_response(200, schemas::encode(result.pair));
                      res.set(kDeviceTokenHeader, result.device_token);
                      co_return res;
                    },
                    Access::anyone,
                    "auth",
                    "Log in with email and password",
                    "LoginRequest",
                    "TokenResponse",
                    200,
                    {401, 415, 422, 429, 503}});
  routes.push_back({verb::post,
                    "/auth/refresh",
                    [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_refresh(http::parse_json_body(req));
                      auto pair = co_await auth.refresh(body.refresh_token);
                      co_return http::json_response(200, schemas::encode(pair));
                    },
                    Access::anyone,
                    "auth",
                    "Trade a refresh token for a new pair",
                    "RefreshRequest",
                    "TokenResponse",
                    200,
                    {401, 415, 422}});
  routes.push_back({verb::post,
                    "/auth/logout",
                    [&auth](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_refresh(http::parse_json_body(req));
                      co_await auth.logout(body.refresh_token);
                      co_return http::empty_response(204);
                    },
                    Access::anyone,
                    "auth",
                    "End the session of a refresh token",
                    "RefreshRequest",
                    "",
                    204,
                    {401, 415, 422}});
  routes.push_back(
      {verb::post,
       "/auth/logout-all",
       dependencies::with_caller(
           [&auth](http::Request&, const services::Principal& who) -> awaitable<http::Response> {
             co_await auth.logout_all(who);
             co_return http::empty_response(204);
           }),
       Access::user,
       "auth",
       "End every session of the caller",
       "",
       "",
       204,
       {401}});
  routes.push_back({verb::post,
                    "/auth/password",
                    dependencies::with_caller(
                        [&auth](http::Request& req,
                                const services::Principal& who) -> awaitable<http::Response> {
                          auto change = schemas::decode_password_change(http::parse_json_body(req));
                          co_await auth.change_password(who, std::move(change), req.client_key);
                          co_return http::empty_response(204);
                        }),
                    Access::user,
                    "auth",
                    "Change the password; other sessions end",
                    "PasswordChange",
                    "",
                    204,
                    {401, 415, 422, 503}});
  return routes;
}

}  // namespace gh::routers
