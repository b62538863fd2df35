#pragma once
// A route is declared once: method, path template, access, handler and what the OpenAPI
// document needs to describe it. The router, the pipeline's authorizer (from `access`) and
// the document all read this one record; a handler never checks access itself.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error_code.hpp"
#include "http/request.hpp"

namespace gh::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

enum class Access { anyone, user, admin };

// Checks a route's declared access before its handler runs, and leaves who is calling in
// Request::caller. The pipeline calls it for every route that is not `anyone`; the
// application's guard implements it.
struct Route;
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Throws ApiError (401 without valid credentials, 403 without the rights) when the
  // request may not reach `route` (its `access`, and whether it admits an unverified caller).
  virtual boost::asio::awaitable<void> authorize(Request& req, const Route& route) const = 0;
};

// How the route's errors are written. `oauth` is RFC 6749 §5.2's {"error",
// "error_description"}, which OAuth 2.0 clients parse (POST /auth/token); every other route
// answers the envelope. The route is found before the middleware runs (Pipeline::run), so
// the rate limiter's refusal follows it too; only a message refused before it could be
// routed (malformed, too large) and a refused Origin are always the envelope.
enum class ErrorBody { envelope, oauth };

// The groups of the document and of the docs pages, in the order they show them.
enum class Tag { auth, users, sessions, audit, keys, health, monitoring, docs };
std::string_view tag_name(Tag tag);

// Declared with named fields, e.g.
//   {.method = verb::get, .path = "/users/{id}", .access = Access::admin, .tag = Tag::users,
//    .summary = "One user", .response_schema = "UserOut",
//    .errors = {ErrorCode::user_not_found}, .handler = ...}
// The statuses the framework answers for the route are not listed: the authorizer's 401 and
// 403 follow from `access`, the body reader's 415 and 422 from `request_schema`, the path and
// query decoders' 422 from the path and `query_schema`; 413, 429, 500 and 503 (the limiter,
// the database) any route can answer.
struct Route {
  bhttp::verb method = bhttp::verb::get;
  std::string path;  // template, e.g. "/users/{id}"
  Access access = Access::anyone;
  Tag tag = Tag::auth;
  std::string summary;
  // Answers If-None-Match with 304 from a strong ETag (the handler serves it through
  // routers/conditional_body); the document then declares both.
  bool conditional_get = false;
  std::string request_schema;   // schema name of the JSON body, empty when none
  std::string query_schema;     // parameter-set name of the query string, empty when none
  std::string response_schema;  // schema name of the success body, empty when none
  int success_status = 200;
  std::vector<ErrorCode> errors;  // what the handler itself raises, from the catalog
  ErrorBody error_body = ErrorBody::envelope;
  // Reached by a signed-in user whose email is not verified yet when EMAIL_VERIFICATION is
  // `required` (their own profile, verification, logout); every other guarded route answers
  // such a caller 403 EMAIL_NOT_VERIFIED.
  bool before_verification = false;
  // Reached by a signed-in user the MFA policy obliges to have a second factor before they
  // have one (their own profile, /auth/mfa/*, logout); every other guarded route answers such
  // a caller 403 MFA_ENROLLMENT_REQUIRED.
  bool before_mfa_enrollment = false;
  // Only for a session signed in with the second factor (aal2): 403 AAL2_REQUIRED otherwise.
  // Under the policies that oblige admins to have a factor, every admin route is so too.
  bool needs_aal2 = false;
  Handler handler;
  std::size_t index = 0;  // position in the router's table, set by Router::add (for metrics)
};

}  // namespace gh::http
