#include "schemas/credential_fields.hpp"

#include <boost/json/array.hpp>

#include "schemas/rules.hpp"

namespace gh::schemas {

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

}  // namespace gh::schemas
