#include "schemas/oauth.hpp"

#include <boost/json/array.hpp>

#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"

namespace gh::schemas {
namespace {

constexpr std::string_view kPassword = "password";
constexpr std::string_view kRefreshToken = "refresh_token";

}  // namespace

TokenRequest decode_token_request(const boost::json::object& form) {
  const boost::json::value body(form);
  FieldReader r(body);
  const auto grant = r.string("grant_type");
  r.finish();
  TokenRequest request;
  if (*grant == kPassword) {
    request.grant = Grant::password;
    request.credentials = {read_email(r, "username"), read_login_password(r, "password")};
  } else if (*grant == kRefreshToken) {
    request.grant = Grant::refresh_token;
    request.refresh_token = read_token(r, "refresh_token");
  } else {
    throw ApiError(ErrorCode::unsupported_grant_type);
  }
  r.finish();
  return request;
}

boost::json::value encode_oauth_token(const services::TokenPair& tokens,
                                      std::int64_t expires_in_seconds) {
  return boost::json::object{{"access_token", tokens.access_token},
                             {"token_type", "bearer"},
                             {"expires_in", expires_in_seconds},
                             {"refresh_token", tokens.refresh_token}};
}

boost::json::value encode_server_metadata(const std::string& issuer,
                                          const std::string& public_url) {
  return boost::json::object{
      {"issuer", issuer},
      {"token_endpoint", public_url + "/auth/token"},
      {"jwks_uri", public_url + "/.well-known/jwks.json"},
      {"grant_types_supported", boost::json::array{kPassword, kRefreshToken}},
      {"token_endpoint_auth_methods_supported", boost::json::array{"none"}},
      // Required by RFC 8414, and empty: there is no authorization endpoint.
      {"response_types_supported", boost::json::array{}},
      {"service_documentation", public_url + "/docs"}};
}

namespace {

boost::json::object string_property(std::string_view description) {
  return {{"type", "string"}, {"description", description}};
}

boost::json::object token_request_schema() {
  auto schema = object_schema(
      "RFC 6749 §4.3 (password) or §6 (refresh_token), form-encoded; other fields are ignored",
      {{"grant_type", {{"type", "string"}, {"enum", boost::json::array{kPassword, kRefreshToken}}}},
       {"username",
        [] {
          auto p = email_property();
          p["description"] = "The account's email (password grant)";
          return p;
        }()},
       {"password", password_property(false, "correct horse battery")},
       {"refresh_token",
        token_property("The session's current refresh token (refresh_token grant)")},
       {"scope", string_property("Ignored: gatehouse has no scopes")},
       {"client_id", string_property("Ignored: clients are public")}},
      {"grant_type"});
  return schema;
}

}  // namespace

void describe_oauth_schemas(Catalog& c) {
  c.schemas["TokenRequest"] = token_request_schema();
  c.media_types["TokenRequest"] = {"application/x-www-form-urlencoded"};
  c.schemas["OAuthTokenResponse"] = object_schema(
      "RFC 6749 §5.1: the same pair as /auth/login, with the access token's lifetime",
      {{"access_token", token_property("JWT, short-lived; signed as JWT_ALGORITHM says")},
       {"token_type", {{"type", "string"}, {"const", "bearer"}}},
       {"expires_in",
        {{"type", "integer"},
         {"minimum", 1},
         {"description", "Seconds the access token is valid (ACCESS_TOKEN_EXPIRE_MINUTES)"}}},
       {"refresh_token", token_property("Rotated on every refresh; each works once")}},
      {"access_token", "token_type", "expires_in", "refresh_token"});
  c.schemas["OAuthError"] = object_schema(
      "RFC 6749 §5.2: the token endpoint's errors, which OAuth clients parse (not the envelope)",
      {{"error",
        {{"type", "string"},
         {"enum", boost::json::array{"invalid_request", "invalid_grant", "unsupported_grant_type",
                                     "mfa_required", "temporarily_unavailable", "server_error"}}}},
       {"error_description", string_property("For people; printable ASCII")},
       {"mfa_token",
        string_property("mfa_required only (403): send it to POST /auth/mfa/verify with a code")}},
      {"error"});
  c.schemas["AuthorizationServerMetadata"] = object_schema(
      "RFC 8414 §2: where the token endpoint and the public keys are",
      {{"issuer", string_property("JWT_ISSUER when set (the tokens' iss), else PUBLIC_URL")},
       {"token_endpoint", string_property("PUBLIC_URL/auth/token")},
       {"jwks_uri", string_property("PUBLIC_URL/.well-known/jwks.json")},
       {"grant_types_supported", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"token_endpoint_auth_methods_supported",
        {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"response_types_supported", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"service_documentation", string_property("PUBLIC_URL/docs")}},
      {"issuer", "token_endpoint", "jwks_uri", "grant_types_supported",
       "token_endpoint_auth_methods_supported", "response_types_supported"});
}

}  // namespace gh::schemas
