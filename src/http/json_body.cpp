#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/api_error.hpp"
#include "core/json_duplicates.hpp"
#include "http/content_type.hpp"

namespace gh::http {
namespace {

ApiError malformed(std::string msg) {
  return ApiError(ErrorCode::malformed_json, {}, {FieldError{{"body"}, std::move(msg)}});
}

}  // namespace

boost::json::value parse_json_body(const Request& req) {
  if (!has_media_type(req, "application/json")) {
    throw ApiError(ErrorCode::unsupported_media_type);
  }
  if (!is_identity_coded(req))
    throw ApiError(ErrorCode::unsupported_media_type, "Content-Encoding must be identity");
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
