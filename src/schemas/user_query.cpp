#include "schemas/user_query.hpp"

#include <algorithm>
#include <cctype>

#include "schemas/cursor.hpp"
#include "schemas/field_reader.hpp"
#include "schemas/user.hpp"

namespace gh::schemas {
namespace {

// A cursor names its list, so one from another list (or another version of this one) is
// refused rather than read as a position.
constexpr std::string_view kCursorTag = "users.1.";
constexpr std::size_t kQueryMinChars = 3, kQueryMaxBytes = 254;

[[noreturn]] void invalid(std::string_view name, std::string msg) {
  throw validation_error({"query", std::string(name)}, std::move(msg));
}

std::optional<models::UserPosition> parse_cursor(std::string_view text) {
  auto p = decode_position(kCursorTag, text);
  if (!p) return std::nullopt;
  return models::UserPosition{p->micros, std::move(p->id)};
}

std::optional<std::string> decode_q(const std::optional<std::string>& raw) {
  if (!raw) return std::nullopt;
  if (raw->size() > kQueryMaxBytes) invalid("q", "At most 254 characters");
  if (raw->size() < kQueryMinChars) invalid("q", "At least 3 characters");
  // Stored emails are printable ASCII (normalize_email refuses the rest), so nothing else
  // can match; refusing it here keeps NUL and broken UTF-8 away from both databases.
  const bool printable =
      std::all_of(raw->begin(), raw->end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
  if (!printable) invalid("q", "Only printable ASCII characters, as in an email address");
  std::string lower = *raw;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::optional<bool> decode_flag(const std::optional<std::string>& raw, std::string_view name) {
  if (!raw) return std::nullopt;
  if (*raw == "true") return true;
  if (*raw == "false") return false;
  invalid(name, "Expected true or false");
}

void append_param(std::string& out, std::string_view name, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (!out.empty()) out.push_back('&');
  out.append(name).push_back('=');
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
}

}  // namespace

models::UserQuery decode_user_query(const UserListParams& raw) {
  const Page page = decode_page(raw.skip, raw.limit);
  models::UserQuery q;
  q.skip = page.skip;
  q.limit = page.limit;
  if (raw.cursor) {
    if (raw.skip) invalid("cursor", "cursor cannot be combined with skip");
    q.after = parse_cursor(*raw.cursor);
    if (!q.after) invalid("cursor", "Not a cursor of this list");
  }
  q.filter.email_contains = decode_q(raw.q);
  if (raw.role) {
    q.filter.role = models::parse_role(*raw.role);
    if (!q.filter.role) invalid("role", "Role must be 'user' or 'admin'");
  }
  q.filter.is_active = decode_flag(raw.is_active, "is_active");
  q.filter.email_verified = decode_flag(raw.email_verified, "email_verified");
  return q;
}

std::string encode_cursor(const models::UserPosition& position) {
  return encode_position(kCursorTag, position.created_at, position.id);
}

std::string next_page_query(const models::UserQuery& query, const models::UserPosition& next) {
  std::string out;
  append_param(out, "limit", std::to_string(query.limit));
  if (query.filter.email_contains) append_param(out, "q", *query.filter.email_contains);
  if (query.filter.role) append_param(out, "role", models::role_name(*query.filter.role));
  if (query.filter.is_active)
    append_param(out, "is_active", *query.filter.is_active ? "true" : "false");
  if (query.filter.email_verified)
    append_param(out, "email_verified", *query.filter.email_verified ? "true" : "false");
  append_param(out, "cursor", encode_cursor(next));
  return out;
}

}  // namespace gh::schemas
