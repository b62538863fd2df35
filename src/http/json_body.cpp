#include "http/json_body.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/api_error.hpp"
#include "core/json_duplicates.hpp"
#include "http/ows.hpp"

namespace gh::http {
namespace {

bool is_json_content_type(std::string_view value) {
  auto semi = value.find(';');
  std::string_view media = value.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return boost::beast::iequals(media, "application/json");
}

// We decode no content coding: a gzip body would be parsed as if it were the JSON, while
// a front end that decodes it sees another message. So all but identity is media we do
// not take (RFC 9110 §15.5.16).
bool is_identity_coded(const Request& req) {
  const auto [first, last] = req.raw.equal_range(bhttp::field::content_encoding);
  for (auto it = first; it != last; ++it) {
    std::string_view codings{it->value().data(), it->value().size()};
    while (!codings.empty()) {
      const auto comma = codings.find(',');
      const std::string_view coding = trim_ows(codings.substr(0, comma));
      codings.remove_prefix(comma == std::string_view::npos ? codings.size() : comma + 1);
      if (!coding.empty() && !boost::beast::iequals(coding, "identity")) return false;
    }
  }
  return true;
}

ApiError malformed(std::string msg) {
  return ApiError(ErrorCode::malformed_json, {}, {FieldError{{"body"}, std::move(msg)}});
}

}  // namespace

boost::json::value parse_json_body(const Request& req) {
  if (!is_json_content_type(req.header(bhttp::field::content_type))) {
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
