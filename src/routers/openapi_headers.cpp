#include "routers/openapi_headers.hpp"

#include <string_view>

namespace gh::routers {
namespace {

using boost::json::array;
using boost::json::object;

object ref(std::string_view name) {
  return {{"$ref", "#/components/headers/" + std::string(name)}};
}

object integer_header(std::string_view description) {
  return {{"description", description}, {"schema", {{"type", "integer"}, {"minimum", 0}}}};
}

// A successful login answers with this header; sent back on the next login of the same
// account, it keeps failures from elsewhere from locking this client out
// (services/device_tokens.hpp). routers/auth.cpp reads and writes it.
constexpr std::string_view kDeviceToken = "Device-Token";

// The password grant of /auth/token is the same login (routers/oauth.cpp).
bool is_login(const http::Route& r) {
  return r.method == http::bhttp::verb::post &&
         (r.path == "/auth/login" || r.path == "/auth/token");
}

}  // namespace

object shared_headers() {
  return {{"X-Request-ID",
           {{"description",
             "The request's id: the client's X-Request-ID when acceptable, "
             "else a new one; also in the access log"},
            {"schema", {{"type", "string"}, {"maxLength", 128}}}}},
          {"RateLimit-Limit",
           integer_header("Requests the client may make per window (RATE_LIMIT_REQUESTS); only "
                          "when a rate limit is configured")},
          {"RateLimit-Remaining",
           integer_header("Requests the client has left in the current window; only when a rate "
                          "limit is configured")},
          {"RateLimit-Reset",
           integer_header("Seconds until the client's allowance is whole again; only when a rate "
                          "limit is configured")},
          {"ETag",
           {{"description", "The body's strong validator: send it in If-None-Match to revalidate"},
            {"schema",
             {{"type", "string"}, {"examples", array{"\"3f2a9c0d5e7b41a8c6d2e0f1a9b8c7d6\""}}}}}},
          {std::string(kDeviceToken),
           {{"description",
             "Proof that this client logged in to this account with its current password. Send it "
             "back in the Device-Token header of the next login of the account: failures from "
             "other clients then cannot lock this one out. Valid for 90 days"},
            {"schema", {{"type", "string"}}}}},
          {"Pragma",
           {{"description",
             "no-cache beside Cache-Control: no-store, as RFC 6749 §5.1 asks of a token "
             "endpoint's answers"},
            {"schema", {{"type", "string"}, {"const", "no-cache"}}}}}};
}

object answer_headers() {
  return {{"X-Request-ID", ref("X-Request-ID")},
          {"RateLimit-Limit", ref("RateLimit-Limit")},
          {"RateLimit-Remaining", ref("RateLimit-Remaining")},
          {"RateLimit-Reset", ref("RateLimit-Reset")}};
}

bool answers_conditional_get(const http::Route& r) {
  return r.method == http::bhttp::verb::get && r.conditional_get;
}

array header_parameters(const http::Route& r) {
  array out;
  if (answers_conditional_get(r))
    out.push_back(object{{"name", "If-None-Match"},
                         {"in", "header"},
                         {"required", false},
                         {"description", "The ETag of a copy the client holds: 304 when current"},
                         {"schema", {{"type", "string"}}}});
  if (is_login(r))
    out.push_back(object{{"name", kDeviceToken},
                         {"in", "header"},
                         {"required", false},
                         {"description",
                          "The Device-Token of this client's last successful login of the "
                          "account, if it has one"},
                         {"schema", {{"type", "string"}}}});
  return out;
}

object success_headers(const http::Route& r) {
  object out;
  if (answers_conditional_get(r)) out["ETag"] = ref("ETag");
  if (is_login(r)) out[kDeviceToken] = ref(kDeviceToken);
  if (r.error_body == http::ErrorBody::oauth) out["Pragma"] = ref("Pragma");
  return out;
}

object pragma_header() {
  return ref("Pragma");
}

object not_modified_response() {
  object headers = answer_headers();
  headers["ETag"] = ref("ETag");
  return {{"description", "Not modified: If-None-Match names the current body"},
          {"headers", std::move(headers)}};
}

}  // namespace gh::routers
