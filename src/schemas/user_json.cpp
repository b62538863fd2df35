#include "schemas/user_json.hpp"

#include "core/time_format.hpp"

namespace gh::schemas {
namespace {

void append_user(std::string& out, const models::User& u) {
  out += "{\"id\":";
  append_json_string(out, u.id);
  out += ",\"email\":";
  append_json_string(out, u.email);
  out += ",\"role\":";
  append_json_string(out, u.role);
  out += u.is_active ? ",\"is_active\":true" : ",\"is_active\":false";
  out += ",\"created_at\":\"";
  append_rfc3339(out, u.created_at);  // digits, '-', ':', 'T', '.', 'Z': nothing to escape
  out += "\",\"updated_at\":\"";
  append_rfc3339(out, u.updated_at);
  out += "\"}";
}

constexpr std::size_t kUserSize = 200;  // a typical UserOut, to reserve once

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes that need no escape, copied in one go
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

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
