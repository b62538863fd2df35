#include "routers/openapi_responses.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <stdexcept>

#include "routers/openapi_headers.hpp"

namespace gh::routers {
namespace {

struct ErrorDoc {
  int status;
  const char* name;
  const char* description;
  const char* header;  // the extra header the status carries, or nullptr
};

constexpr std::array<ErrorDoc, 12> kErrors{{
    {400, "BadRequest", "Malformed HTTP request", nullptr},
    {401, "Unauthorized", "No bearer token, a bad or expired one, or wrong credentials",
     "WWW-Authenticate"},
    {403, "Forbidden", "The caller is not an admin", nullptr},
    {404, "NotFound", "No such resource", nullptr},
    {405, "MethodNotAllowed", "Known path, another method", "Allow"},
    {409, "Conflict", "The change conflicts with the stored state", nullptr},
    {413, "PayloadTooLarge", "The body is over the limit (MAX_BODY_BYTES, 1 MiB by default)",
     nullptr},
    {415, "UnsupportedMediaType", "The body is not application/json", nullptr},
    {422, "ValidationError",
     "Malformed JSON or invalid fields; `fields` says which (loc) and why (msg)", nullptr},
    {429, "TooManyRequests", "Rate limit or failed-login throttle reached; retry later",
     "Retry-After"},
    {500, "InternalError", "An unexpected failure; no internals are disclosed", nullptr},
    {503, "ServiceUnavailable",
     "The database or the password-hash pool is saturated or down, or Redis is down with "
     "REDIS_FAIL_OPEN=false",
     "Retry-After"},
}};

struct ErrorExample {
  int status;
  const char* code;
  const char* detail;
  const char* field;  // for 422: the `loc` of one field error, or nullptr
  const char* msg;
};

// The codes and details the code raises (grep ApiError), so the examples are real. A
// status shared by several causes shows each.
constexpr std::array<ErrorExample, 19> kExamples{{
    {400, "BAD_REQUEST", "Malformed HTTP request", nullptr, nullptr},
    {401, "NOT_AUTHENTICATED", "Not authenticated", nullptr, nullptr},
    {401, "INVALID_TOKEN", "Invalid or expired token", nullptr, nullptr},
    {401, "INVALID_CREDENTIALS", "Incorrect email or password", nullptr, nullptr},
    {403, "FORBIDDEN", "Insufficient permissions", nullptr, nullptr},
    {404, "USER_NOT_FOUND", "No user with that id", nullptr, nullptr},
    {404, "NOT_FOUND", "Not found", nullptr, nullptr},
    {405, "METHOD_NOT_ALLOWED", "Method not allowed", nullptr, nullptr},
    {409, "EMAIL_TAKEN", "Email already registered", nullptr, nullptr},
    {409, "LAST_ADMIN", "This change would leave no active admin", nullptr, nullptr},
    {413, "PAYLOAD_TOO_LARGE", "Request body is too large", nullptr, nullptr},
    {415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", nullptr, nullptr},
    {422, "VALIDATION_ERROR", "Request validation failed", "email", "Not a valid email address"},
    {422, "VALIDATION_ERROR", "Request body is not valid JSON", nullptr, "Unexpected end of input"},
    {429, "RATE_LIMITED", "Too many requests, slow down", nullptr, nullptr},
    {429, "TOO_MANY_LOGIN_ATTEMPTS", "Too many failed logins, try again later", nullptr, nullptr},
    {500, "INTERNAL_ERROR", "An unexpected error occurred", nullptr, nullptr},
    {503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable", nullptr, nullptr},
    {503, "RATE_LIMIT_UNAVAILABLE", "Rate limiting is unavailable, try again", nullptr, nullptr},
}};

const ErrorDoc& find(int status) {
  for (const auto& e : kErrors)
    if (e.status == status) return e;
  throw std::out_of_range("no error response documented for status " + std::to_string(status));
}

boost::json::object header_doc(std::string_view name) {
  if (name == "WWW-Authenticate")
    return {{"description", "Bearer"}, {"schema", {{"type", "string"}}}};
  if (name == "Allow")
    return {{"description", "The methods the path answers"}, {"schema", {{"type", "string"}}}};
  return {{"description", "Seconds to wait before retrying"},
          {"schema", {{"type", "integer"}, {"minimum", 0}}}};
}

boost::json::object example_body(const ErrorExample& e) {
  boost::json::object error{{"code", e.code}, {"detail", e.detail}};
  if (e.msg) {
    boost::json::array loc{"body"};
    if (e.field) loc.push_back(boost::json::string(e.field));
    error["fields"] = boost::json::array{boost::json::object{{"loc", loc}, {"msg", e.msg}}};
  }
  return {{"error", std::move(error)}};
}

// The codes `status` can carry, in the order of the examples, each once.
boost::json::array codes(int status) {
  boost::json::array out;
  for (const auto& e : kExamples)
    if (e.status == status && std::none_of(out.begin(), out.end(),
                                           [&](const auto& c) { return c.as_string() == e.code; }))
      out.push_back(e.code);
  return out;
}

// The envelope with `code` narrowed to what this status carries, so a generated client
// can switch on it (EMAIL_TAKEN or LAST_ADMIN for a 409). The narrowing sits beside the
// shared `error` object it refines, so that object's other fields stay evaluated (a linter
// that forbids unevaluated properties accepts the examples).
boost::json::object schema(int status) {
  boost::json::object code{{"type", "string"}, {"enum", codes(status)}};
  boost::json::object error{
      {"allOf", boost::json::array{boost::json::object{
                    {"$ref", "#/components/schemas/Error/properties/error"}}}},
      {"required", boost::json::array{"code"}},
      {"properties", boost::json::object{{"code", std::move(code)}}}};
  return {{"type", "object"},
          {"description",
           "The error envelope (#/components/schemas/Error), with the codes of "
           "this status"},
          {"required", boost::json::array{"error"}},
          {"properties", boost::json::object{{"error", std::move(error)}}}};
}

// Named examples: one per cause, keyed by code (malformed JSON gets its own key).
boost::json::object examples(int status) {
  boost::json::object out;
  for (const auto& e : kExamples) {
    if (e.status != status) continue;
    std::string key = e.code;
    if (e.msg && !e.field) key += "_MALFORMED_JSON";
    out[key] = {{"summary", e.detail}, {"value", example_body(e)}};
  }
  return out;
}

}  // namespace

std::string error_response_name(int status) {
  return find(status).name;
}

boost::json::object error_response(int status) {
  const ErrorDoc& e = find(status);
  // The rate limiter's own 429 says where the client stands, like its other answers.
  boost::json::object headers =
      status == 429 ? answer_headers()
                    : boost::json::object{{"X-Request-ID", answer_headers().at("X-Request-ID")}};
  if (e.header) headers[e.header] = header_doc(e.header);
  return {{"description", e.description},
          {"headers", std::move(headers)},
          {"content",
           {{"application/json", {{"schema", schema(status)}, {"examples", examples(status)}}}}}};
}

}  // namespace gh::routers
