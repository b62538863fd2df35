#include "routers/openapi_responses.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <optional>
#include <stdexcept>

#include "core/api_error.hpp"
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
    {403, "Forbidden",
     "The caller is not an admin, or has not verified their email (EMAIL_VERIFICATION=required)",
     nullptr},
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
     "The database or the password-hash pool is saturated or down, Redis is down with "
     "REDIS_FAIL_OPEN=false, or (EMAIL_UNAVAILABLE) a mail endpoint with no mail server",
     "Retry-After"},
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

// A field error to show with a 422 of `id`: loc and msg, or nothing.
std::optional<FieldError> illustration(ErrorCode id) {
  if (id == ErrorCode::validation_error)
    return FieldError{{"body", "email"}, "Not a valid email address"};
  if (id == ErrorCode::malformed_json) return FieldError{{"body"}, "Unexpected end of input"};
  return std::nullopt;
}

boost::json::object example_body(const ErrorSpec& e) {
  boost::json::object error{{"code", e.code}, {"detail", e.detail}};
  if (auto field = illustration(e.id)) {
    boost::json::array loc;
    for (const auto& part : field->loc) loc.emplace_back(part);
    error["fields"] =
        boost::json::array{boost::json::object{{"loc", std::move(loc)}, {"msg", field->msg}}};
  }
  return {{"error", std::move(error)}};
}

// The codes `status` can carry, from the error catalog, each once.
boost::json::array codes(int status) {
  boost::json::array out;
  for (const auto& e : error_catalog())
    if (e.status == status && std::none_of(out.begin(), out.end(),
                                           [&](const auto& c) { return c.as_string() == e.code; }))
      out.push_back(boost::json::string(e.code));
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

// Named examples from the error catalog: one per cause, keyed by code; a second cause of the
// same code (JSON that does not parse) is keyed by code and detail.
boost::json::object examples(int status) {
  boost::json::object out;
  for (const auto& e : error_catalog()) {
    if (e.status != status) continue;
    std::string key(e.code);
    if (out.contains(key)) key += e.id == ErrorCode::malformed_json ? "_MALFORMED_JSON" : "_2";
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
