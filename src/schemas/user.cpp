#include "schemas/user.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>

#include "core/time_format.hpp"
#include "core/uuid.hpp"
#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
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

// The list's bounds, read by decode_page and described by describe_user_schemas.
constexpr std::int64_t kSkipMax = std::int64_t{1} << 40;

std::int64_t read_bound(const std::optional<std::string>& raw, std::string_view name,
                        std::int64_t fallback, std::int64_t min, std::int64_t max) {
  if (!raw) return fallback;
  auto v = parse_int(*raw);
  std::vector<std::string> loc{"query", std::string(name)};
  if (!v) throw validation_error(loc, "Expected an integer");
  if (*v < min || *v > max) {
    throw validation_error(loc,
                           "Must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return *v;
}

}  // namespace

boost::json::value encode_user(const models::User& u) {
  return boost::json::object{
      {"id", u.id},
      {"email", u.email},
      {"role", models::role_name(u.role)},
      {"is_active", u.is_active},
      {"created_at", format_rfc3339(u.created_at)},
      {"updated_at", format_rfc3339(u.updated_at)},
      {"email_verified", u.email_verified},
      {"last_login_at", u.last_login_at ? boost::json::value(format_rfc3339(u.last_login_at))
                                        : boost::json::value(nullptr)},
      {"mfa_enabled", u.mfa_enabled}};
}

boost::json::value encode_users(const std::vector<models::User>& users) {
  boost::json::array out;
  out.reserve(users.size());
  for (const auto& u : users) out.push_back(encode_user(u));
  return out;
}

services::NewUser decode_user_create(const boost::json::value& body) {
  FieldReader r(body);
  services::NewUser user;
  user.email = read_email(r);
  // Without a password the account is an invitation: it has none until the link is taken.
  if (auto password = r.string("password", false)) {
    if (auto problem = password_problem(*password); !problem.empty())
      r.fail("password", problem);
    else
      user.password = std::move(*password);
  }
  if (auto role = r.string("role", false)) {
    if (auto known = models::parse_role(*role))
      user.role = *known;
    else
      r.fail("role", "Role must be 'user' or 'admin'");
  }
  r.finish();
  return user;
}

models::UserChanges decode_user_patch(const boost::json::value& body) {
  FieldReader r(body);
  models::UserChanges changes;
  if (auto email = r.string("email", false)) {
    std::string why;
    changes.email = normalize_email(*email, why);
    if (!changes.email) r.fail("email", why);
  }
  if (auto role = r.string("role", false)) {
    changes.role = models::parse_role(*role);
    if (!changes.role) r.fail("role", "Role must be 'user' or 'admin'");
  }
  changes.is_active = r.boolean("is_active", false);
  r.finish();
  return changes;
}

Page decode_page(const std::optional<std::string>& skip, const std::optional<std::string>& limit) {
  return Page{read_bound(skip, "skip", 0, 0, kSkipMax),
              read_bound(limit, "limit", kLimitDefault, kLimitMin, kLimitMax)};
}

std::string decode_user_id(std::string_view raw) {
  auto id = uuid::parse(raw);
  if (!id) throw validation_error({"path", "id"}, "Expected a UUID");
  return *id;
}

boost::json::value encode_counts(const models::UserCounts& c) {
  return boost::json::object{{"total", c.total}, {"active", c.active}, {"admins", c.admins}};
}

}  // namespace gh::schemas

namespace gh::schemas {
namespace {

constexpr std::string_view kUuidExample = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f";

boost::json::object user_out_schema() {
  return boost::json::parse(R"json({
    "type": "object",
    "description": "A user account as clients see it (never the password hash)",
    "required": ["id", "email", "role", "is_active", "created_at", "updated_at", "email_verified",
                 "last_login_at", "mfa_enabled"],
    "properties": {
      "id": {"type": "string", "format": "uuid", "description": "UUID v7 (time-ordered)",
             "examples": ["01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f"]},
      "email": {"type": "string", "format": "email", "examples": ["ada@example.com"]},
      "role": {"type": "string", "enum": ["user", "admin"]},
      "is_active": {"type": "boolean"},
      "created_at": {"type": "string", "format": "date-time", "description": "RFC 3339, UTC",
                     "examples": ["2026-01-02T03:04:05Z"]},
      "updated_at": {"type": "string", "format": "date-time", "description": "RFC 3339, UTC",
                     "examples": ["2026-01-02T03:04:05Z"]},
      "email_verified": {"type": "boolean",
                         "description": "The address took a mailed link (verification, reset or invitation)"},
      "last_login_at": {"type": ["string", "null"], "format": "date-time",
                        "description": "RFC 3339, UTC; null before the first login",
                        "examples": ["2026-01-02T03:04:05Z"]},
      "mfa_enabled": {"type": "boolean", "description": "A TOTP factor is enabled"}
    }
  })json")
      .as_object();
}

boost::json::object user_patch_schema() {
  return boost::json::parse(R"json({
    "type": "object",
    "description": "The fields to change; absent fields stay as they are, null is refused (422). Deactivating or demoting a user ends their sessions; a change that would leave no active admin is refused (409).",
    "properties": {
      "email": {"type": "string", "format": "email", "maxLength": 254,
                "examples": ["grace@example.com"]},
      "role": {"type": "string", "enum": ["user", "admin"]},
      "is_active": {"type": "boolean"}
    },
    "examples": [{"role": "admin"}, {"is_active": false}]
  })json")
      .as_object();
}

boost::json::object string_query(std::string_view name, std::string_view description,
                                 boost::json::object constraints) {
  constraints.emplace("type", "string");
  return query_parameter(name, description, std::move(constraints));
}

boost::json::object integer_query(std::string_view name, std::string_view description,
                                  std::int64_t min, std::int64_t max, std::int64_t fallback) {
  return query_parameter(
      name, description,
      {{"type", "integer"}, {"minimum", min}, {"maximum", max}, {"default", fallback}});
}

}  // namespace

void describe_user_schemas(Catalog& c) {
  c.schemas["UserOut"] = user_out_schema();
  c.schemas["UserPatch"] = user_patch_schema();
  c.schemas["UserCreate"] = {
      {"type", "object"},
      {"description",
       "An account an admin creates, active at once: with the password given (the "
       "registration policy applies), or without one an invitation is mailed and the account "
       "has no usable password until it is accepted"},
      {"required", boost::json::array{"email"}},
      {"properties",
       {{"email", email_property()},
        {"password", password_property(true, "correct horse battery")},
        {"role", {{"type", "string"}, {"enum", {"user", "admin"}}, {"default", "user"}}}}},
      {"examples", boost::json::array{boost::json::object{{"email", "grace@example.com"},
                                                          {"password", "correct horse battery"},
                                                          {"role", "user"}}}}};
  c.schemas["UserPatch"].as_object()["properties"].as_object()["email"].as_object()["maxLength"] =
      kEmailMax;
  c.schemas["UserList"] = {{"type", "array"},
                           {"description", "Users in creation order"},
                           {"items", {{"$ref", "#/components/schemas/UserOut"}}}};
  c.response_headers["UserList"] = {
      {"X-Total-Count",
       {{"description",
         "How many users there are in all, whatever skip and limit say; absent with a "
         "cursor or a filter"},
        {"schema", {{"type", "integer"}, {"minimum", 0}}}}},
      {"Link",
       {{"description", "`<...>; rel=\"next\"`: the next page, while rows follow this one"},
        {"schema", {{"type", "string"}}}}},
      {"X-Next-Cursor",
       {{"description", "The `cursor` of the next page, while rows follow this one"},
        {"schema", {{"type", "string"}}}}}};
  c.schemas["UserStats"] = boost::json::parse(R"json({
    "type": "object",
    "description": "Exact counts of users, kept with the rows",
    "required": ["total", "active", "admins"],
    "properties": {
      "total": {"type": "integer", "minimum": 0, "examples": [42]},
      "active": {"type": "integer", "minimum": 0, "examples": [40]},
      "admins": {"type": "integer", "minimum": 0, "examples": [2]}
    }
  })json")
                               .as_object();
  // The bounds are decode_page's own, so the document says what the decoder enforces.
  c.query_parameters["UserListQuery"] = {
      integer_query("skip", "How many users to skip (not with cursor)", 0, kSkipMax, 0),
      integer_query("limit", "How many users to return", kLimitMin, kLimitMax, kLimitDefault),
      string_query("cursor", "Where the page starts: the X-Next-Cursor of the page before (opaque)",
                   {}),
      string_query("q",
                   "Case-insensitive substring of the email, at least 3 characters; every "
                   "character matches literally",
                   {{"minLength", 3}, {"maxLength", 254}}),
      string_query("role", "Only users of this role", {{"enum", {"user", "admin"}}}),
      string_query("is_active", "Only active (true) or inactive (false) users",
                   {{"type", "boolean"}}),
      string_query("email_verified", "Only users whose email is verified (true) or not (false)",
                   {{"type", "boolean"}})};
  c.path_parameters["id"] = {
      {"name", "id"},
      {"in", "path"},
      {"required", true},
      {"description", "The user's id"},
      {"schema",
       {{"type", "string"}, {"format", "uuid"}, {"examples", boost::json::array{kUuidExample}}}}};
}

}  // namespace gh::schemas
