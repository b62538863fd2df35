#include "routers/email.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/auth.hpp"
#include "schemas/email.hpp"
#include "schemas/user.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using dependencies::client_info;
using http::Access;
using http::Tag;
using http::bhttp::verb;

namespace {

// Links are taken by these POSTs only: a GET (a mail scanner following the link) reaches the
// application's page at the link, never a route that spends the token.
std::vector<http::Route> link_routes(services::EmailFlows& flows) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::post,
                    .path = "/auth/password-reset/confirm",
                    .tag = Tag::auth,
                    .summary = "Set a new password from a reset link; every session ends",
                    .request_schema = "PasswordResetConfirm",
                    .success_status = 204,
                    .errors = {ErrorCode::invalid_or_expired_token},
                    .handler = [&flows](http::Request& req) -> awaitable<http::Response> {
                      auto body =
                          schemas::decode_password_reset_confirm(http::parse_json_body(req));
                      co_await flows.confirm_password_reset(body.token, std::move(body.password),
                                                            client_info(req));
                      co_return http::empty_response(204);
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/verify-email",
                    .tag = Tag::auth,
                    .summary = "Verify the email address from a verification link",
                    .request_schema = "VerifyEmail",
                    .success_status = 204,
                    .errors = {ErrorCode::invalid_or_expired_token},
                    .handler = [&flows](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_verify_email(http::parse_json_body(req));
                      co_await flows.verify_email(body.token, client_info(req));
                      co_return http::empty_response(204);
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/auth/invitation/accept",
                    .tag = Tag::auth,
                    .summary = "Accept an invitation: set the password and sign in",
                    .request_schema = "InvitationAccept",
                    .response_schema = "TokenResponse",
                    .errors = {ErrorCode::invalid_or_expired_token},
                    .handler = [&flows](http::Request& req) -> awaitable<http::Response> {
                      auto body = schemas::decode_invitation_accept(http::parse_json_body(req));
                      auto pair = co_await flows.accept_invitation(
                          body.token, std::move(body.password), client_info(req));
                      co_return http::json_response(200, schemas::encode(pair));
                    }});
  return routes;
}

std::vector<http::Route> request_routes(services::EmailFlows& flows) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::post,
                    .path = "/auth/password-reset",
                    .tag = Tag::auth,
                    .summary = "Ask for a password reset link; the same answer for every address",
                    .request_schema = "PasswordResetRequest",
                    .response_schema = "Accepted",
                    .success_status = 202,
                    .errors = {ErrorCode::email_unavailable},
                    .handler = [&flows](http::Request& req) -> awaitable<http::Response> {
                      auto body =
                          schemas::decode_password_reset_request(http::parse_json_body(req));
                      co_await flows.request_password_reset(body.email);
                      co_return http::json_response(202, schemas::accepted_body());
                    }});
  routes.push_back(
      {.method = verb::post,
       .path = "/auth/verify-email/resend",
       .access = Access::user,
       .tag = Tag::auth,
       .summary = "Send the caller's verification mail again (nothing when verified)",
       .response_schema = "Accepted",
       .success_status = 202,
       .errors = {ErrorCode::rate_limited, ErrorCode::email_unavailable},
       .before_verification = true,
       .handler = dependencies::with_caller(
           [&flows](http::Request&, const services::Principal& who) -> awaitable<http::Response> {
             co_await flows.resend_verification(who.user);
             co_return http::json_response(202, schemas::accepted_body());
           })});
  return routes;
}

http::Route admin_mail_route(services::EmailFlows& flows, std::string path, std::string summary,
                             models::MailKind kind) {
  return {.method = verb::post,
          .path = std::move(path),
          .access = Access::admin,
          .tag = Tag::users,
          .summary = std::move(summary),
          .response_schema = "Accepted",
          .success_status = 202,
          .errors = {ErrorCode::user_not_found, ErrorCode::email_unavailable},
          .handler = [&flows, kind](http::Request& req) -> awaitable<http::Response> {
            co_await flows.send_to_user(schemas::decode_user_id(req.path_param("id")), kind);
            co_return http::json_response(202, schemas::accepted_body());
          }};
}

}  // namespace

std::vector<http::Route> email_routes(services::EmailFlows& flows) {
  auto routes = request_routes(flows);
  for (auto& r : link_routes(flows)) routes.push_back(std::move(r));
  routes.push_back(admin_mail_route(flows, "/users/{id}/password-reset-email",
                                    "Send a user a password reset link",
                                    models::MailKind::password_reset));
  routes.push_back(admin_mail_route(flows, "/users/{id}/verification-email",
                                    "Send a user a verification link",
                                    models::MailKind::email_verification));
  return routes;
}

}  // namespace gh::routers
