#include "routers/mfa.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/auth.hpp"
#include "schemas/mfa.hpp"
#include "schemas/user.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;
using services::Principal;

namespace {

// Enrolment and removal of the caller's own factor: reached before enrolment, when the MFA
// policy obliges one.
void add_enrolment(std::vector<http::Route>& routes, services::MfaService& mfa) {
  routes.push_back(
      {.method = verb::post,
       .path = "/auth/mfa/totp",
       .access = Access::user,
       .tag = Tag::auth,
       .summary =
           "Start a TOTP factor: its secret, otpauth URI and QR code (replaces a pending one)",
       .response_schema = "TotpEnrollment",
       .success_status = 201,
       .errors = {ErrorCode::mfa_already_enabled},
       .before_mfa_enrollment = true,
       .handler = dependencies::with_caller(
           [&mfa](http::Request&, const Principal& who) -> awaitable<http::Response> {
             co_return http::json_response(201, schemas::encode(co_await mfa.enroll(who)));
           })});
  routes.push_back(
      {.method = verb::post,
       .path = "/auth/mfa/totp/confirm",
       .access = Access::user,
       .tag = Tag::auth,
       .summary = "Turn the pending factor on with a first code: recovery codes and a new pair",
       .request_schema = "MfaCode",
       .response_schema = "MfaConfirmation",
       .errors = {ErrorCode::invalid_code, ErrorCode::mfa_factor_not_found},
       .before_mfa_enrollment = true,
       .handler = dependencies::with_caller(
           [&mfa](http::Request& req, const Principal& who) -> awaitable<http::Response> {
             const auto code = schemas::decode_mfa_code(http::parse_json_body(req));
             auto done = co_await mfa.confirm(who, code, dependencies::client_info(req));
             co_return http::json_response(200, schemas::encode(done));
           })});
  routes.push_back(
      {.method = verb::delete_,
       .path = "/auth/mfa/totp",
       .access = Access::user,
       .tag = Tag::auth,
       .summary = "Remove the caller's TOTP factor and recovery codes, on a current code",
       .request_schema = "MfaCode",
       .success_status = 204,
       .errors = {ErrorCode::invalid_code, ErrorCode::too_many_login_attempts},
       .before_mfa_enrollment = true,
       .needs_aal2 = true,
       .handler = dependencies::with_caller(
           [&mfa](http::Request& req, const Principal& who) -> awaitable<http::Response> {
             const auto code = schemas::decode_mfa_code(http::parse_json_body(req));
             co_await mfa.disable(who, code, req.client_key, dependencies::client_info(req));
             co_return http::empty_response(204);
           })});
}

}  // namespace

std::vector<http::Route> mfa_routes(services::MfaService& mfa) {
  std::vector<http::Route> routes;
  add_enrolment(routes, mfa);
  routes.push_back(
      {.method = verb::post,
       .path = "/auth/mfa/verify",
       .access = Access::anyone,
       .tag = Tag::auth,
       .summary = "A login's second step: its mfa_token and a code (or a recovery code)",
       .request_schema = "MfaVerify",
       .response_schema = "TokenResponse",
       .errors = {ErrorCode::mfa_code_rejected, ErrorCode::invalid_token,
                  ErrorCode::too_many_login_attempts},
       .handler = [&mfa](http::Request& req) -> awaitable<http::Response> {
         const auto step = schemas::decode_second_step(http::parse_json_body(req));
         auto pair = co_await mfa.verify(step, req.client_key, dependencies::client_info(req));
         co_return http::json_response(200, schemas::encode(pair));
       }});
  routes.push_back(
      {.method = verb::post,
       .path = "/auth/mfa/recovery-codes",
       .access = Access::user,
       .tag = Tag::auth,
       .summary = "Ten new recovery codes; the earlier ones stop working",
       .response_schema = "RecoveryCodes",
       .errors = {ErrorCode::mfa_factor_not_found},
       .before_mfa_enrollment = true,
       .needs_aal2 = true,
       .handler = dependencies::with_caller(
           [&mfa](http::Request& req, const Principal& who) -> awaitable<http::Response> {
             auto codes =
                 co_await mfa.regenerate_recovery_codes(who, dependencies::client_info(req));
             co_return http::json_response(200, schemas::encode_recovery_codes(codes));
           })});
  routes.push_back(
      {.method = verb::delete_,
       .path = "/users/{id}/mfa",
       .access = Access::admin,
       .tag = Tag::users,
       .summary = "Reset a user's second factor: factor and recovery codes gone, sessions ended",
       .success_status = 204,
       .errors = {ErrorCode::user_not_found},
       .handler = [&mfa](http::Request& req) -> awaitable<http::Response> {
         auto id = schemas::decode_user_id(req.path_param("id"));
         co_await mfa.reset(dependencies::actor(req), id);
         co_return http::empty_response(204);
       }});
  return routes;
}

}  // namespace gh::routers
