#include "routers/mfa.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/mfa.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;

std::vector<http::Route> mfa_routes(services::MfaService& mfa) {
  std::vector<http::Route> routes;
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
       .handler = dependencies::with_caller(
           [&mfa](http::Request&, const services::Principal& who) -> awaitable<http::Response> {
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
       .handler = dependencies::with_caller(
           [&mfa](http::Request& req, const services::Principal& who) -> awaitable<http::Response> {
             const auto code = schemas::decode_mfa_code(http::parse_json_body(req));
             auto done = co_await mfa.confirm(who, code, dependencies::client_info(req));
             co_return http::json_response(200, schemas::encode(done));
           })});
  return routes;
}

}  // namespace gh::routers
