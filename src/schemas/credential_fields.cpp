#include "schemas/credential_fields.hpp"

#include <boost/json/array.hpp>

#include "schemas/rules.hpp"

namespace gh::schemas {

std::string read_email(FieldReader& r, std::string_view name) {
  auto email = r.string(name);
  if (!email) return {};
  std::string why;
  auto normalized = normalize_email(*email, why);
  if (!normalized) r.fail(name, why);
  return normalized.value_or("");
}

std::string read_login_password(FieldReader& r, std::string_view name) {
  auto password = r.string(name);
  if (!password) return {};
  auto n = utf8_length(*password);
  if (n == 0) r.fail(name, "Password must not be empty");
  if (n > kPasswordMax) r.fail(name, "Password must be at most 128 characters");
  return *password;
}

std::string read_token(FieldReader& r, std::string_view name) {
  auto token = r.string(name);
  if (token && (token->empty() || token->size() > kMaxTokenLength)) r.fail(name, "Not a token");
  return token.value_or("");
}

std::string read_new_password(FieldReader& r, std::string_view name) {
  auto password = r.string(name);
  if (!password) return {};
  if (auto problem = password_problem(*password); !problem.empty()) r.fail(name, problem);
  return *password;
}

boost::json::object email_property() {
  return {{"type", "string"},
          {"format", "email"},
          {"maxLength", kEmailMax},
          {"description", "Stored lower-cased; compared case-insensitively"},
          {"examples", boost::json::array{"ada@example.com"}}};
}

boost::json::object password_property(bool policy, std::string_view example) {
  boost::json::object p{{"type", "string"},
                        {"format", "password"},
                        {"minLength", policy ? kPasswordMin : 1},
                        {"maxLength", kPasswordMax},
                        {"examples", boost::json::array{example}}};
  if (policy) p["description"] = "8 to 128 characters";
  return p;
}

boost::json::object token_property(std::string_view description) {
  return {
      {"type", "string"},
      {"minLength", 1},
      {"maxLength", kMaxTokenLength},
      {"description", description},
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

}  // namespace gh::schemas
