#include "routers/openapi_document.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <cctype>
#include <set>

#include "http/oauth_error.hpp"
#include "routers/openapi_headers.hpp"
#include "routers/openapi_responses.hpp"

namespace gh::routers {
namespace {

using boost::json::array;
using boost::json::object;

[[noreturn]] void undocumented(const http::Route& r, const std::string& what) {
  throw UndocumentedRoute(std::string(http::bhttp::to_string(r.method)) + " " + r.path + ": " +
                          what);
}

std::vector<std::string> path_parameter_names(const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t open = path.find('{'); open != std::string::npos;
       open = path.find('{', open + 1)) {
    names.push_back(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return names;
}

array parameters(const http::Route& r, const schemas::Catalog& c) {
  array out;
  for (const auto& name : path_parameter_names(r.path)) {
    auto it = c.path_parameters.find(name);
    if (it == c.path_parameters.end()) undocumented(r, "path parameter {" + name + "}");
    out.push_back(it->second);
  }
  if (!r.query_schema.empty()) {
    auto it = c.query_parameters.find(r.query_schema);
    if (it == c.query_parameters.end()) undocumented(r, "query parameters " + r.query_schema);
    for (const auto& p : it->second) out.push_back(p);
  }
  for (auto& p : header_parameters(r)) out.push_back(std::move(p));
  return out;
}

const std::vector<std::string>& media_types(const schemas::Catalog& c, const std::string& schema) {
  static const std::vector<std::string> json{"application/json"};
  auto it = c.media_types.find(schema);
  return it == c.media_types.end() ? json : it->second;
}

object content(const http::Route& r, const schemas::Catalog& c, const std::string& schema,
               const object& schema_object) {
  if (!c.schemas.contains(schema)) undocumented(r, "schema " + schema);
  object out;
  for (const auto& type : media_types(c, schema)) out[type] = {{"schema", schema_object}};
  return out;
}

object content(const http::Route& r, const schemas::Catalog& c, const std::string& schema) {
  return content(r, c, schema, {{"$ref", "#/components/schemas/" + schema}});
}

// The statuses any request can get whatever its route: a body over the limit (413), the
// rate limiter's refusal (429, or 503 while its Redis is down and REDIS_FAIL_OPEN=false),
// an unexpected failure (500). Routes that use the database answer 503 when it does not.
constexpr std::array<int, 4> kAnyRoute{413, 429, 500, 503};

object success_response(const http::Route& r, const schemas::Catalog& c) {
  object headers = answer_headers();
  for (const auto& [name, header] : success_headers(r)) headers[name] = header;
  if (auto it = c.response_headers.find(r.response_schema); it != c.response_headers.end())
    for (const auto& [name, header] : it->second) headers[name] = header;
  object res{{"description", r.summary}, {"headers", std::move(headers)}};
  if (!r.response_schema.empty()) res["content"] = content(r, c, r.response_schema);
  return res;
}

// The description when the route answers `status` with its own schema, else nullptr.
const std::string* own_error_body(const schemas::Catalog& c, const std::string& schema,
                                  int status) {
  auto it = c.own_error_bodies.find(schema);
  if (it == c.own_error_bodies.end()) return nullptr;
  auto found = it->second.find(status);
  return found == it->second.end() ? nullptr : &found->second;
}

// A status the route answers with its own body. When the middleware can answer the same
// status for any route, that answer is the error envelope: the body is one or the other.
object own_error_response(const http::Route& r, const schemas::Catalog& c, int status,
                          const std::string& description) {
  object schema{{"$ref", "#/components/schemas/" + r.response_schema}};
  if (std::find(kAnyRoute.begin(), kAnyRoute.end(), status) != kAnyRoute.end())
    schema = {{"oneOf", array{std::move(schema), object{{"$ref", "#/components/schemas/Error"}}}}};
  return {{"description", description},
          {"headers", answer_headers()},
          {"content", content(r, c, r.response_schema, schema)}};
}

// A 413 is answered before the route is known, so it is always the envelope.
bool oauth_error_status(const http::Route& r, int status) {
  return r.error_body == http::ErrorBody::oauth && status != 413;
}

// An error of a route whose errors are OAuth's (Route::error_body). A refused Origin or a
// malformed message is answered before the route is known, with the envelope: the body is
// one or the other.
object oauth_error_response(int status) {
  object headers = answer_headers();
  headers["Pragma"] = pragma_header();
  if (status == 429 || status == 503)
    headers["Retry-After"] = error_response(status).at("headers").at("Retry-After");
  object schema{{"oneOf", array{object{{"$ref", "#/components/schemas/OAuthError"}},
                                object{{"$ref", "#/components/schemas/Error"}}}}};
  return {{"description",
           status == 400 ? "RFC 6749 §5.2: invalid_request, invalid_grant or unsupported_grant_type"
           : status == 429 || status == 503 ? "temporarily_unavailable: retry after Retry-After"
                                            : "server_error"},
          {"headers", std::move(headers)},
          {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

object responses(const http::Route& r, const schemas::Catalog& c, std::set<int>& used_errors) {
  object out{{std::to_string(r.success_status), success_response(r, c)}};
  if (answers_conditional_get(r)) out["304"] = not_modified_response();
  for (int status : error_statuses(r)) {
    if (oauth_error_status(r, status)) {
      out[std::to_string(status)] = oauth_error_response(status);
      continue;
    }
    if (const auto* description = own_error_body(c, r.response_schema, status)) {
      out[std::to_string(status)] = own_error_response(r, c, status, *description);
      continue;
    }
    try {
      error_response_name(status);
    } catch (const std::out_of_range&) {
      undocumented(r, "error status " + std::to_string(status));
    }
    used_errors.insert(status);
    out[std::to_string(status)] = {
        {"$ref", "#/components/responses/" + error_response_name(status)}};
  }
  return out;
}

std::string_view access_note(http::Access access) {
  switch (access) {
    case http::Access::user:
      return "Requires a bearer access token.";
    case http::Access::admin:
      return "Requires a bearer access token of an admin.";
    default:
      return "Open to anyone.";
  }
}

object operation(const http::Route& r, const schemas::Catalog& c, std::set<int>& used_errors) {
  object op{{"operationId", operation_id(r)},
            {"summary", r.summary},
            {"description", access_note(r.access)},
            {"tags", array{http::tag_name(r.tag)}}};
  if (auto params = parameters(r, c); !params.empty()) op["parameters"] = std::move(params);
  if (!r.request_schema.empty())
    op["requestBody"] = {{"required", true}, {"content", content(r, c, r.request_schema)}};
  op["responses"] = responses(r, c, used_errors);
  // An empty list says "no credentials" explicitly, rather than leaving it unsaid.
  // Either scheme: Swagger UI's "Authorize" offers both, a pasted token or a sign-in.
  op["security"] =
      r.access == http::Access::anyone
          ? array{}
          : array{object{{"OAuth2PasswordBearer", array{}}}, object{{"bearerAuth", array{}}}};
  return op;
}

std::string_view tag_description(http::Tag tag) {
  switch (tag) {
    case http::Tag::auth:
      return "Accounts, sessions and tokens";
    case http::Tag::users:
      return "The caller's account; user administration (admins)";
    case http::Tag::sessions:
      return "The sessions a person or an admin can see and end";
    case http::Tag::audit:
      return "The audit log: who did what, from where (admins); a person's own activity";
    case http::Tag::keys:
      return "The keys that sign access tokens: the public JWKS, and their rotation (admins)";
    case http::Tag::health:
      return "Health, liveness and readiness probes";
    case http::Tag::monitoring:
      return "Metrics for Prometheus";
    case http::Tag::docs:
      return "This document and the pages that render it";
  }
  return "";
}

object components(const schemas::Catalog& c, const std::set<int>& used_errors) {
  object responses;
  for (int status : used_errors) responses[error_response_name(status)] = error_response(status);
  return {
      {"schemas", c.schemas},
      {"responses", std::move(responses)},
      {"headers", shared_headers()},
      {"securitySchemes",
       {{"OAuth2PasswordBearer",
         {{"type", "oauth2"},
          {"description", "OAuth 2.0 password flow: sign in with email (as username) and password"},
          {"flows",
           {{"password",
             {{"tokenUrl", "/auth/token"},
              {"refreshUrl", "/auth/token"},
              {"scopes", object{}}}}}}}},
        {"bearerAuth",
         {{"type", "http"},
          {"scheme", "bearer"},
          {"bearerFormat", "JWT"},
          {"description", "The access_token of POST /auth/login or /auth/register"}}}}}};
}

}  // namespace

std::string operation_id(const http::Route& r) {
  std::string id(http::bhttp::to_string(r.method));
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (char ch : r.path) {
    bool word = std::isalnum(static_cast<unsigned char>(ch));
    if (word)
      id.push_back(ch);
    else if (id.back() != '_')
      id.push_back('_');
  }
  while (id.back() == '_') id.pop_back();
  return id;
}

std::string document_path(const std::string& path) {
  // The router answers "/users" and "/users/" alike; the document names the canonical form.
  if (path.size() > 1 && path.back() == '/') return path.substr(0, path.size() - 1);
  return path;
}

void add_operation(object& paths, const std::string& path, const std::string& method, object op) {
  auto& item = paths[path];
  if (!item.is_object()) item = object{};
  item.as_object()[method] = std::move(op);
}

std::vector<int> error_statuses(const http::Route& r) {
  std::set<int> s;
  for (ErrorCode e : r.errors) s.insert(error_spec(e).status);
  s.insert(kAnyRoute.begin(), kAnyRoute.end());
  if (!r.request_schema.empty()) s.insert({415, 422});
  if (!r.query_schema.empty() || r.path.find('{') != std::string::npos) s.insert(422);
  if (r.access != http::Access::anyone) s.insert(401);
  if (r.access == http::Access::admin) s.insert(403);
  // EMAIL_VERIFICATION=required: an unverified caller (403 EMAIL_NOT_VERIFIED); the MFA
  // policy: a caller without a factor (MFA_ENROLLMENT_REQUIRED); a session without it
  // (AAL2_REQUIRED).
  const bool guarded = r.access != http::Access::anyone;
  if (guarded && (!r.before_verification || !r.before_mfa_enrollment || r.needs_aal2))
    s.insert(403);
  if (r.error_body == http::ErrorBody::oauth) {
    std::set<int> answered;
    for (int status : s) answered.insert(status == 413 ? 413 : http::oauth_status(status));
    s = std::move(answered);
  }
  return {s.begin(), s.end()};
}

object openapi_document(const std::vector<http::Route>& routes, const schemas::Catalog& c,
                        std::string_view version) {
  object paths;
  std::set<int> used_errors;
  std::set<http::Tag> tags;
  for (const auto& r : routes) {
    if (r.summary.empty()) undocumented(r, "summary");
    tags.insert(r.tag);
    std::string method(http::bhttp::to_string(r.method));
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    object op = operation(r, c, used_errors);
    // The router answers "/users" and "/users/" alike, and clients of the reference app
    // call "/users/": both are documented, or a validating proxy refuses one of them.
    if (document_path(r.path) != r.path) {
      object slashed = op;
      slashed["operationId"] = std::string(op.at("operationId").as_string()) + "_slash";
      add_operation(paths, r.path, method, std::move(slashed));
    }
    add_operation(paths, document_path(r.path), method, std::move(op));
  }
  // In the order the pages show them: the API first, then probes, metrics and docs.
  array tag_list;
  for (http::Tag t : tags)
    tag_list.push_back(object{{"name", http::tag_name(t)}, {"description", tag_description(t)}});
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "gatehouse"},
            {"version", version},
            {"summary", "Users, sessions and tokens over HTTP"},
            {"description",
             "Register, log in, refresh and revoke sessions; manage users. Every error has "
             "one shape: `#/components/schemas/Error`. Generated from the code by "
             "`gatehouse openapi`."}}},
          {"servers", array{object{{"url", "/"}, {"description", "This server"}}}},
          {"tags", std::move(tag_list)},
          {"paths", std::move(paths)},
          {"components", components(c, used_errors)}};
}

}  // namespace gh::routers
