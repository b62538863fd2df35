#include "schemas/user.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "core/time_format.hpp"
#include "core/uuid.hpp"
#include "schemas/field_reader.hpp"
#include "schemas/rules.hpp"

namespace gh::schemas {
namespace {

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::int64_t read_bound(const std::optional<std::string>& raw, std::string_view name,
                        std::int64_t fallback, std::int64_t min, std::int64_t max) {
  if (!raw) return fallback;
  auto v = parse_int(*raw);
  std::vector<std::string> loc{"query", std::string(name)};
  if (!v) throw validation_error(loc, "Expected an integer");
  if (*v < min || *v > max) {
    throw validation_error(loc, "Must be from " + std::to_string(min) + " to " +
                                    std::to_string(max));
  }
  return *v;
}

}  // namespace

boost::json::value encode_user(const models::User& u) {
  return boost::json::object{{"id", u.id},
                             {"email", u.email},
                             {"role", u.role},
                             {"is_active", u.is_active},
                             {"created_at", format_rfc3339(u.created_at)},
                             {"updated_at", format_rfc3339(u.updated_at)}};
}

boost::json::value encode_users(const std::vector<models::User>& users) {
  boost::json::array out;
  out.reserve(users.size());
  for (const auto& u : users) out.push_back(encode_user(u));
  return out;
}

db::UserChanges decode_user_patch(const boost::json::value& body) {
  FieldReader r(body);
  db::UserChanges changes;
  if (auto email = r.string("email", false)) {
    std::string why;
    changes.email = normalize_email(*email, why);
    if (!changes.email) r.fail("email", why);
  }
  if (auto role = r.string("role", false)) {
    if (*role != "user" && *role != "admin") r.fail("role", "Role must be 'user' or 'admin'");
    changes.role = *role;
  }
  changes.is_active = r.boolean("is_active", false);
  r.finish();
  return changes;
}

Page decode_page(const std::optional<std::string>& skip, const std::optional<std::string>& limit) {
  return Page{read_bound(skip, "skip", 0, 0, std::int64_t{1} << 40),
              read_bound(limit, "limit", 50, 1, 100)};
}

std::string decode_user_id(std::string_view raw) {
  auto id = uuid::parse(raw);
  if (!id) throw validation_error({"path", "id"}, "Expected a UUID");
  return *id;
}

boost::json::value encode_counts(const db::UserCounts& c) {
  return boost::json::object{{"total", c.total}, {"active", c.active}, {"admins", c.admins}};
}

}  // namespace gh::schemas
