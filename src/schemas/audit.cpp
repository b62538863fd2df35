#include "schemas/audit.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.hpp"
#include "core/uuid.hpp"
#include "models/user_query.hpp"
#include "schemas/catalog.hpp"
#include "schemas/cursor.hpp"
#include "schemas/field_reader.hpp"
#include "schemas/user.hpp"

namespace gh::schemas {
namespace {

// A cursor names its list, so one from another list (the users') is refused, not misread.
constexpr std::string_view kCursorTag = "audit.1.";

[[noreturn]] void invalid(std::string_view name, std::string msg) {
  throw validation_error({"query", std::string(name)}, std::move(msg));
}

bool in_position_range(std::int64_t micros) {
  return micros >= models::kFirstPositionMicros && micros <= models::kLastPositionMicros;
}

std::optional<models::AuditPosition> parse_cursor(std::string_view text) {
  auto p = decode_position(kCursorTag, text);
  if (!p) return std::nullopt;
  return models::AuditPosition{p->micros, std::move(p->id)};
}

void decode_paging(const AuditListParams& raw, models::AuditQuery& q) {
  q.limit = decode_page(std::nullopt, raw.limit).limit;
  if (raw.cursor) {
    q.after = parse_cursor(*raw.cursor);
    if (!q.after) invalid("cursor", "Not a cursor of this list");
  }
}

std::vector<models::AuditType> decode_types(std::string_view list) {
  std::vector<models::AuditType> types;
  while (true) {
    const auto comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    const auto type = models::parse_audit_type(name);
    if (name.empty()) invalid("type", "Expected event types separated by commas, none empty");
    if (!type) invalid("type", "Unknown event type '" + std::string(name) + "'");
    types.push_back(*type);
    if (comma == std::string_view::npos) return types;
    list.remove_prefix(comma + 1);
  }
}

std::optional<std::string> decode_id(const std::optional<std::string>& raw, std::string_view name) {
  if (!raw) return std::nullopt;
  auto id = uuid::parse(*raw);
  if (!id) invalid(name, "Expected a UUID");
  return id;
}

// The address as the rate limiter writes it (an IPv4-mapped IPv6 address as IPv4), so any
// spelling of it finds its events.
std::optional<std::string> decode_ip(const std::optional<std::string>& raw) {
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(*raw, ec);
  if (ec) invalid("ip", "Expected an IPv4 or IPv6 address");
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  return address.to_string();
}

std::optional<std::int64_t> decode_time(std::optional<std::string> raw, std::string_view name) {
  if (!raw) return std::nullopt;
  // A "+" left unescaped in a query string arrives as a space; only an offset can hold one.
  if (raw->size() > 6 && (*raw)[raw->size() - 6] == ' ') (*raw)[raw->size() - 6] = '+';
  const auto micros = parse_rfc3339(*raw);
  if (!micros) invalid(name, "Expected an RFC 3339 date-time, e.g. 2026-01-02T03:04:05Z");
  if (!in_position_range(*micros)) invalid(name, "Expected a time from year 1 to year 9999");
  return micros;
}

boost::json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

// Stored as the text of a JSON object by the writer; anything else (never written) shows as
// an empty object rather than failing the page.
boost::json::object details_object(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.as_object());
}

boost::json::object encode_event(const models::AuditEvent& e) {
  return {{"id", e.id},
          {"occurred_at", format_rfc3339(e.occurred_at)},
          {"type", models::audit_type_name(e.type)},
          {"outcome", models::outcome_name(e.outcome)},
          {"actor_id", text_or_null(e.actor_id)},
          {"subject_user_id", text_or_null(e.subject_user_id)},
          {"session_id", text_or_null(e.session_id)},
          {"ip", text_or_null(e.ip)},
          {"user_agent", text_or_null(e.user_agent)},
          {"request_id", text_or_null(e.request_id)},
          {"reason", text_or_null(e.reason)},
          {"details", details_object(e.details)}};
}

}  // namespace

models::AuditQuery decode_audit_query(const AuditListParams& raw) {
  models::AuditQuery q;
  decode_paging(raw, q);
  if (raw.type) q.types = decode_types(*raw.type);
  if (raw.outcome) {
    if (*raw.outcome == "success")
      q.outcome = models::AuditOutcome::success;
    else if (*raw.outcome == "failure")
      q.outcome = models::AuditOutcome::failure;
    else
      invalid("outcome", "Outcome must be 'success' or 'failure'");
  }
  q.user_id = decode_id(raw.user_id, "user_id");
  q.actor_id = decode_id(raw.actor_id, "actor_id");
  q.ip = decode_ip(raw.ip);
  q.since = decode_time(raw.since, "since");
  q.until = decode_time(raw.until, "until");
  return q;
}

models::AuditQuery decode_own_audit_query(const AuditListParams& raw) {
  models::AuditQuery q;
  decode_paging(raw, q);
  return q;
}

std::string encode_audit_cursor(const models::AuditPosition& position) {
  return encode_position(kCursorTag, position.occurred_at, position.id);
}

std::string audit_page_json(const models::AuditPage& page) {
  boost::json::array items;
  items.reserve(page.events.size());
  for (const auto& e : page.events) items.push_back(encode_event(e));
  boost::json::object body{{"items", std::move(items)}, {"next_cursor", nullptr}};
  if (page.next) body["next_cursor"] = encode_audit_cursor(*page.next);
  return boost::json::serialize(body);
}

}  // namespace gh::schemas

namespace gh::schemas {
namespace {

boost::json::object audit_event_schema() {
  auto schema = boost::json::parse(R"json({
    "type": "object",
    "description": "One security-relevant event: who did what to whom, from where, and how it ended. Fields that do not apply are null.",
    "required": ["id", "occurred_at", "type", "outcome", "actor_id", "subject_user_id",
                 "session_id", "ip", "user_agent", "request_id", "reason", "details"],
    "properties": {
      "id": {"type": "string", "format": "uuid", "description": "UUID v7 of occurred_at",
             "examples": ["01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f"]},
      "occurred_at": {"type": "string", "format": "date-time", "description": "RFC 3339, UTC",
                      "examples": ["2026-01-02T03:04:05.000000Z"]},
      "type": {"type": "string", "description": "The event type, from the catalog"},
      "outcome": {"type": "string", "enum": ["success", "failure"]},
      "actor_id": {"type": ["string", "null"], "format": "uuid",
                   "description": "Who acted: the user themself, or an admin"},
      "subject_user_id": {"type": ["string", "null"], "format": "uuid",
                          "description": "Whom it concerns (a failed login names the account it was aimed at)"},
      "session_id": {"type": ["string", "null"], "format": "uuid"},
      "ip": {"type": ["string", "null"],
             "description": "The client address as the rate limiter sees it (trusted proxies applied)",
             "examples": ["203.0.113.7"]},
      "user_agent": {"type": ["string", "null"]},
      "request_id": {"type": ["string", "null"],
                     "description": "The X-Request-ID of the request that caused it"},
      "reason": {"type": ["string", "null"],
                 "description": "One word from a closed list per type, e.g. logout for session.ended"},
      "details": {"type": "object",
                  "description": "Allow-listed fields of the type (never a password, token, code, hash or key); empty when none"}
    }
  })json");
  auto& type = schema.as_object()["properties"].as_object()["type"].as_object();
  boost::json::array names;
  for (auto name : models::kAuditTypeNames) names.emplace_back(name);
  type["enum"] = std::move(names);
  return std::move(schema.as_object());
}

std::string type_names() {
  std::string all;
  for (auto name : models::kAuditTypeNames) all += (all.empty() ? "" : ", ") + std::string(name);
  return all;
}

boost::json::object limit_parameter() {
  return query_parameter("limit", "How many events to return",
                         {{"type", "integer"},
                          {"minimum", kLimitMin},
                          {"maximum", kLimitMax},
                          {"default", kLimitDefault}});
}

boost::json::object cursor_parameter() {
  return query_parameter("cursor",
                         "Where the page starts: the next_cursor of the page before (opaque)",
                         {{"type", "string"}});
}

boost::json::object string_parameter(std::string_view name, std::string_view description,
                                     std::string_view format = {}) {
  boost::json::object schema{{"type", "string"}};
  if (!format.empty()) schema["format"] = format;
  return query_parameter(name, description, std::move(schema));
}

}  // namespace

void describe_audit_schemas(Catalog& c) {
  c.schemas["AuditEvent"] = audit_event_schema();
  c.schemas["AuditEventPage"] = {
      {"type", "object"},
      {"description",
       "Events newest first; next_cursor, while more events follow, is the cursor of the next "
       "page"},
      {"required", boost::json::array{"items", "next_cursor"}},
      {"properties",
       {{"items",
         {{"type", "array"},
          {"maxItems", kLimitMax},
          {"items", {{"$ref", "#/components/schemas/AuditEvent"}}}}},
        {"next_cursor", {{"type", boost::json::array{"string", "null"}}}}}}};
  c.query_parameters["AuditEventQuery"] = {
      string_parameter("type", "Event types, comma-separated (any of them): " + type_names()),
      query_parameter("outcome", "success or failure",
                      {{"type", "string"}, {"enum", boost::json::array{"success", "failure"}}}),
      string_parameter("user_id", "Events whose subject or actor is this user", "uuid"),
      string_parameter("actor_id", "Events this user caused", "uuid"),
      string_parameter("ip", "Events from this client address (IPv4 or IPv6)"),
      string_parameter("since", "Events at or after this time (RFC 3339)", "date-time"),
      string_parameter("until", "Events before this time (RFC 3339)", "date-time"),
      limit_parameter(),
      cursor_parameter()};
  c.query_parameters["OwnAuditEventQuery"] = {limit_parameter(), cursor_parameter()};
}

}  // namespace gh::schemas
