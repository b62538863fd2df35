#include "routers/openapi_responses.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <optional>
#include <stdexcept>

#include "core/api_error.hpp"

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
  boost::json::object headers{{"X-Request-ID", {{"$ref", "#/components/headers/X-Request-ID"}}}};
  if (e.header) headers[e.header] = header_doc(e.header);
  return {
      {"description", e.description},
      {"headers", std::move(headers)},
      {"content",
       {{"application/json",
         {{"schema", {{"$ref", "#/components/schemas/Error"}}}, {"examples", examples(status)}}}}}};
}

boost::json::object common_headers() {
  return {{"X-Request-ID",
           {{"description",
             "The request's id: the client's X-Request-ID when acceptable, "
             "else a new one; also in the access log"},
            {"schema", {{"type", "string"}, {"maxLength", 128}}}}}};
}

}  // namespace gh::routers
