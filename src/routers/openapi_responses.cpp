#include "routers/openapi_responses.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <stdexcept>

namespace gh::routers {
namespace {

struct ErrorDoc {
  int status;
  const char* name;
  const char* description;
  const char* code;  // an example; the route may answer another code with this status
  const char* detail;
  const char* header;  // the extra header the status carries, or nullptr
};

// Codes and details are those the code raises (grep ApiError): the examples are real.
constexpr std::array<ErrorDoc, 12> kErrors{{
    {400, "BadRequest", "Malformed HTTP request", "BAD_REQUEST", "Malformed HTTP request", nullptr},
    {401, "Unauthorized", "Missing, invalid or expired credentials", "INVALID_TOKEN",
     "Invalid or expired token", "WWW-Authenticate"},
    {403, "Forbidden", "The caller is not an admin", "FORBIDDEN", "Insufficient permissions",
     nullptr},
    {404, "NotFound", "No such resource", "USER_NOT_FOUND", "No user with that id", nullptr},
    {409, "Conflict", "Email already registered, or the change would leave no active admin",
     "EMAIL_TAKEN", "Email already registered", nullptr},
    {413, "PayloadTooLarge", "The body is over the limit (MAX_BODY_BYTES, 1 MiB by default)",
     "PAYLOAD_TOO_LARGE", "Request body is too large", nullptr},
    {415, "UnsupportedMediaType", "The body is not application/json", "UNSUPPORTED_MEDIA_TYPE",
     "Content-Type must be application/json", nullptr},
    {422, "ValidationError",
     "Malformed JSON or invalid fields; `fields` says which (loc) and why (msg)",
     "VALIDATION_ERROR", "Request validation failed", nullptr},
    {429, "TooManyRequests", "Rate limit or failed-login throttle reached; retry later",
     "RATE_LIMITED", "Too many requests, slow down", "Retry-After"},
    {500, "InternalError", "An unexpected failure; no internals are disclosed", "INTERNAL_ERROR",
     "An unexpected error occurred", nullptr},
    {503, "ServiceUnavailable", "The database or the password-hash pool is saturated or down",
     "SERVICE_UNAVAILABLE", "Service temporarily unavailable", "Retry-After"},
    {405, "MethodNotAllowed", "Known path, another method", "METHOD_NOT_ALLOWED",
     "Method not allowed", "Allow"},
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

boost::json::object example_body(const ErrorDoc& e) {
  boost::json::object error{{"code", e.code}, {"detail", e.detail}};
  if (e.status == 422) {
    error["fields"] = boost::json::array{boost::json::object{
        {"loc", boost::json::array{"body", "email"}}, {"msg", "Not a valid email address"}}};
  }
  return {{"error", std::move(error)}};
}

}  // namespace

std::string error_response_name(int status) {
  return find(status).name;
}

boost::json::object error_response(int status) {
  const ErrorDoc& e = find(status);
  boost::json::object headers{{"X-Request-ID", {{"$ref", "#/components/headers/X-Request-ID"}}}};
  if (e.header) headers[e.header] = header_doc(e.header);
  return {
      {"description", e.description},
      {"headers", std::move(headers)},
      {"content",
       {{"application/json",
         {{"schema", {{"$ref", "#/components/schemas/Error"}}}, {"example", example_body(e)}}}}}};
}

boost::json::object common_headers() {
  return {{"X-Request-ID",
           {{"description",
             "The request's id: the client's X-Request-ID when acceptable, "
             "else a new one; also in the access log"},
            {"schema", {{"type", "string"}, {"maxLength", 128}}}}}};
}

}  // namespace gh::routers
