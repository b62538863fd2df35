#include "http/error_envelope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/json_body.hpp"

namespace gh::http {

Response error_response(const ApiError& error) {
  boost::json::object inner;
  inner["code"] = error.code();
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
  Response res = json_response(error.status(), boost::json::object{{"error", std::move(inner)}});
  for (const auto& [name, value] : error.headers) res.set(name, value);
  return res;
}

Response internal_error_response() {
  return error_response(ApiError(500, "INTERNAL_ERROR", "An unexpected error occurred"));
}

}  // namespace gh::http
