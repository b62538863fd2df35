#include "schemas/user_json.hpp"

#include "core/json_string.hpp"
#include "core/time_format.hpp"

namespace gh::schemas {
namespace {

void append_user(std::string& out, const models::User& u) {
  out += "{\"id\":";
  append_json_string(out, u.id);
  out += ",\"email\":";
  append_json_string(out, u.email);
  out += ",\"role\":";
  append_json_string(out, models::role_name(u.role));
  out += u.is_active ? ",\"is_active\":true" : ",\"is_active\":false";
  out += ",\"created_at\":\"";
  append_rfc3339(out, u.created_at);  // digits, '-', ':', 'T', '.', 'Z': nothing to escape
  out += "\",\"updated_at\":\"";
  append_rfc3339(out, u.updated_at);
  out += u.email_verified ? "\",\"email_verified\":true" : "\",\"email_verified\":false";
  if (!u.last_login_at) {
    out += ",\"last_login_at\":null";
  } else {
    out += ",\"last_login_at\":\"";
    append_rfc3339(out, u.last_login_at);
    out += '"';
  }
  out += u.mfa_enabled ? ",\"mfa_enabled\":true}" : ",\"mfa_enabled\":false}";
}

constexpr std::size_t kUserSize = 200;  // a typical UserOut, to reserve once

}  // namespace

std::string user_json(const models::User& user) {
  std::string out;
  out.reserve(kUserSize);
  append_user(out, user);
  return out;
}

std::string users_json(const std::vector<models::User>& users) {
  std::string out;
  out.reserve(2 + users.size() * (kUserSize + 1));
  out += '[';
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i) out += ',';
    append_user(out, users[i]);
  }
  out += ']';
  return out;
}

}  // namespace gh::schemas
