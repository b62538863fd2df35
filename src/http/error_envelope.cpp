#include "http/error_envelope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "http/json_body.hpp"

namespace gh::http {
namespace {

// What the kind of error obliges (RFC 9110): a 401 names the scheme to authenticate with, a
// 429 or 503 says when to come back. No raiser can forget them.
void add_kind_headers(Response& res, const ApiError& error) {
  const int status = error.status();
  if (status == 401) res.set("WWW-Authenticate", "Bearer");
  if (status == 429 || status == 503)
    res.set("Retry-After", std::to_string(error.retry_after.value_or(1)));
}

}  // namespace

Response error_response(const ApiError& error) {
  boost::json::object inner;
  inner["code"] = boost::json::string_view(error.code());
  inner["detail"] = error.detail();
  if (!error.fields().empty()) {
    boost::json::array fields;
    for (const auto& f : error.fields()) {
      boost::json::array loc;
      for (const auto& part : f.loc) loc.emplace_back(part);
      fields.push_back(boost::json::object{{"loc", std::move(loc)}, {"msg", f.msg}});
    }
    inner["fields"] = std::move(fields);
  }
  for (const auto& [name, value] : error.extra) inner[name] = value;
  Response res = json_response(error.status(), boost::json::object{{"error", std::move(inner)}});
  add_kind_headers(res, error);
  for (const auto& [name, value] : error.headers) res.set(name, value);
  return res;
}

Response internal_error_response() {
  return error_response(ApiError(ErrorCode::internal_error));
}

}  // namespace gh::http
