#include "schemas/auth.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"
#include "schemas/rules.hpp"

namespace gh::schemas {
Credentials decode_register(const boost::json::value& body) {
  FieldReader r(body);
  Credentials c{read_email(r), read_new_password(r, "password")};
  r.finish();
  return c;
}

Credentials decode_login(const boost::json::value& body) {
  FieldReader r(body);
  Credentials c{read_email(r), read_login_password(r, "password")};
  r.finish();
  return c;
}

RefreshRequest decode_refresh(const boost::json::value& body) {
  FieldReader r(body);
  RefreshRequest request{read_token(r, "refresh_token")};
  r.finish();
  return request;
}

PasswordChange decode_password_change(const boost::json::value& body) {
  FieldReader r(body);
  PasswordChange p{read_login_password(r, "current_password"),
                   read_new_password(r, "new_password")};
  r.finish();
  return p;
}

boost::json::value encode(const TokenPair& tokens) {
  return boost::json::object{{"access_token", tokens.access_token},
                             {"refresh_token", tokens.refresh_token},
                             {"token_type", "bearer"}};
}

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
      {{"access_token",
        token_property("JWT, short-lived; signed as JWT_ALGORITHM says (HS256, EdDSA or ES256)")},
       {"refresh_token",
        token_property("JWT (HS256, verified only by gatehouse), rotated on every refresh")},
       {"token_type", {{"type", "string"}, {"const", "bearer"}}}},
      {"access_token", "refresh_token", "token_type"});
}

}  // namespace gh::schemas
