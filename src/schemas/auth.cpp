#include "schemas/auth.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"
#include "schemas/rules.hpp"

namespace gh::schemas {
namespace {

constexpr std::size_t kMaxTokenLength = 4096;

std::string read_any_password(FieldReader& r, std::string_view name) {
  auto password = r.string(name);
  if (!password) return {};
  auto n = utf8_length(*password);
  if (n == 0) r.fail(name, "Password must not be empty");
  if (n > kPasswordMax) r.fail(name, "Password must be at most 128 characters");
  return *password;
}

}  // namespace

Credentials decode_register(const boost::json::value& body) {
  FieldReader r(body);
  Credentials c{read_email(r), read_new_password(r, "password")};
  r.finish();
  return c;
}

Credentials decode_login(const boost::json::value& body) {
  FieldReader r(body);
  Credentials c{read_email(r), read_any_password(r, "password")};
  r.finish();
  return c;
}

RefreshRequest decode_refresh(const boost::json::value& body) {
  FieldReader r(body);
  auto token = r.string("refresh_token");
  if (token && (token->empty() || token->size() > kMaxTokenLength))
    r.fail("refresh_token", "Not a token");
  r.finish();
  return RefreshRequest{token.value_or("")};
}

PasswordChange decode_password_change(const boost::json::value& body) {
  FieldReader r(body);
  PasswordChange p{read_any_password(r, "current_password"), read_new_password(r, "new_password")};
  r.finish();
  return p;
}

boost::json::value encode(const TokenPair& tokens) {
  return boost::json::object{{"access_token", tokens.access_token},
                             {"refresh_token", tokens.refresh_token},
                             {"token_type", "bearer"}};
}

}  // namespace gh::schemas

namespace gh::schemas {
namespace {

boost::json::object token_property(std::string_view what) {
  return {
      {"type", "string"},
      {"minLength", 1},
      {"maxLength", kMaxTokenLength},
      {"description", what},
      {"examples",
       boost::json::array{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl"}}};
}

boost::json::object object_schema(std::string_view description, boost::json::object properties,
                                  boost::json::array required) {
  return {{"type", "object"},
          {"description", description},
          {"required", std::move(required)},
          {"properties", std::move(properties)}};
}

}  // namespace

void describe_auth_schemas(Catalog& c) {
  c.schemas["RegisterRequest"] = object_schema(
      "A new account's credentials",
      {{"email", email_property()}, {"password", password_property(true, "correct horse battery")}},
      {"email", "password"});
  c.schemas["LoginRequest"] =
      object_schema("Credentials to log in with",
                    {{"email", email_property()},
                     {"password", password_property(false, "correct horse battery")}},
                    {"email", "password"});
  c.schemas["RefreshRequest"] =
      object_schema("A refresh token from /auth/login, /auth/register or /auth/refresh",
                    {{"refresh_token", token_property("The session's current refresh token")}},
                    {"refresh_token"});
  c.schemas["PasswordChange"] =
      object_schema("The current password and the new one; the caller's other sessions end",
                    {{"current_password", password_property(false, "correct horse battery")},
                     {"new_password", password_property(true, "staple battery horse")}},
                    {"current_password", "new_password"});
  c.schemas["TokenResponse"] = object_schema(
      "A token pair: send the access token as `Authorization: Bearer`; trade the refresh "
      "token at /auth/refresh (each refresh token works once)",
      {{"access_token", token_property("JWT (HS256), short-lived")},
       {"refresh_token", token_property("JWT (HS256), rotated on every refresh")},
       {"token_type", {{"type", "string"}, {"const", "bearer"}}}},
      {"access_token", "refresh_token", "token_type"});
}

}  // namespace gh::schemas
