#include "schemas/auth.hpp"

#include <boost/json/object.hpp>

#include "schemas/field_reader.hpp"
#include "schemas/rules.hpp"

namespace gh::schemas {
namespace {

constexpr std::size_t kMaxTokenLength = 4096;

std::string read_email(FieldReader& r) {
  auto email = r.string("email");
  if (!email) return {};
  std::string why;
  auto normalized = normalize_email(*email, why);
  if (!normalized) r.fail("email", why);
  return normalized.value_or("");
}

std::string read_new_password(FieldReader& r, std::string_view name) {
  auto password = r.string(name);
  if (!password) return {};
  if (auto problem = password_problem(*password); !problem.empty()) r.fail(name, problem);
  return *password;
}

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
  PasswordChange p{read_any_password(r, "current_password"),
                   read_new_password(r, "new_password")};
  r.finish();
  return p;
}

boost::json::value encode(const TokenPair& tokens) {
  return boost::json::object{{"access_token", tokens.access_token},
                             {"refresh_token", tokens.refresh_token},
                             {"token_type", "bearer"}};
}

}  // namespace gh::schemas
