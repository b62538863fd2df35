#include "http/json_body.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/api_error.hpp"
#include "core/json_duplicates.hpp"

namespace gh::http {
namespace {

bool is_json_content_type(std::string_view value) {
  auto semi = value.find(';');
  std::string_view media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return boost::beast::iequals(media, "application/json");
}

ApiError malformed(std::string msg) {
  return ApiError(422, "VALIDATION_ERROR", "Request body is not valid JSON",
                  {FieldError{{"body"}, std::move(msg)}});
}

}  // namespace

boost::json::value parse_json_body(const Request& req) {
  if (!is_json_content_type(req.header(bhttp::field::content_type))) {
    throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
  }
  if (req.raw.body().empty()) throw malformed("Request body is empty");
  boost::json::parse_options options;
  options.max_depth = 16;  // our schemas are flat; deep nesting is only ever an attack
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(req.raw.body(), ec, {}, options);
  if (ec) throw malformed("Malformed JSON: " + ec.message());
  if (has_duplicate_keys(req.raw.body())) throw malformed("Duplicate key in a JSON object");
  return value;
}

Response json_response(unsigned status, std::string serialized_body) {
  Response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(serialized_body);
  res.prepare_payload();
  return res;
}

Response json_response(unsigned status, const boost::json::value& body) {
  return json_response(status, boost::json::serialize(body));
}

Response empty_response(unsigned status) {
  Response res{static_cast<bhttp::status>(status), 11};
  res.prepare_payload();
  return res;
}

}  // namespace gh::http
