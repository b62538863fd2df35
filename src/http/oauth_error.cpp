#include "http/oauth_error.hpp"

#include <boost/json/object.hpp>
#include <string>

#include "http/error_envelope.hpp"
#include "http/json_body.hpp"
#include "http/route.hpp"

namespace gh::http {
namespace {

// RFC 6749 limits error_description to printable ASCII, so a field error names its field
// and says what is wrong in the catalog's words rather than quoting what was sent.
std::string description(const ApiError& error) {
  std::string out = error.detail();
  for (const auto& field : error.fields()) {
    out += field.loc.empty() ? "; " : "; " + field.loc.back() + ": ";
    out += field.msg;
  }
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e || c == '"' ||
        c == '\\')
      c = '?';
  return out;
}

}  // namespace

std::string_view oauth_error_name(const ApiError& error) {
  switch (error.id()) {
    case ErrorCode::invalid_credentials:
    case ErrorCode::invalid_token:
      return "invalid_grant";
    case ErrorCode::unsupported_grant_type:
      return "unsupported_grant_type";
    case ErrorCode::mfa_required:
      return "mfa_required";
    default:
      break;
  }
  const int status = error.status();
  if (status == 429 || status == 503) return "temporarily_unavailable";
  if (status >= 500) return "server_error";
  return "invalid_request";
}

int oauth_status(int status) {
  return status == 403 || status == 429 || status >= 500 ? status : 400;
}

Response oauth_error_response(const ApiError& error) {
  const int status = oauth_status(error.status());
  boost::json::object body{{"error", oauth_error_name(error)},
                           {"error_description", description(error)}};
  for (const auto& [name, value] : error.extra) body[name] = value;
  Response res = json_response(status, std::move(body));
  res.set(bhttp::field::cache_control, "no-store");
  res.set(bhttp::field::pragma, "no-cache");
  if (status == 429 || status == 503)
    res.set(bhttp::field::retry_after, std::to_string(error.retry_after.value_or(1)));
  for (const auto& [name, value] : error.headers) res.set(name, value);
  return res;
}

Response route_error_response(const Request& req, const ApiError& error) {
  if (req.route && req.route->error_body == ErrorBody::oauth) return oauth_error_response(error);
  return error_response(error);
}

}  // namespace gh::http
