#include "schemas/session.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/time_format.hpp"
#include "core/uuid.hpp"
#include "schemas/catalog.hpp"
#include "schemas/field_reader.hpp"
#include "services/client_info.hpp"

namespace gh::schemas {
namespace {

boost::json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

boost::json::object encode_session(const services::SessionEntry& entry) {
  const models::Session& s = entry.session;
  return {{"id", s.id},
          {"created_at", format_rfc3339(s.created_at)},
          {"last_used_at", format_rfc3339(s.last_used_at)},
          {"expires_at", format_rfc3339(s.expires_at)},
          {"ip", text_or_null(s.ip)},
          {"user_agent", text_or_null(s.user_agent)},
          {"current", entry.current}};
}

boost::json::object session_out_schema() {
  return boost::json::parse(R"json({
    "type": "object",
    "description": "An open session: one login and the refreshes that followed it. Its id is the sid claim of its tokens.",
    "required": ["id", "created_at", "last_used_at", "expires_at", "ip", "user_agent", "current"],
    "properties": {
      "id": {"type": "string", "format": "uuid", "description": "UUID v7, the tokens' sid",
             "examples": ["01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f"]},
      "created_at": {"type": "string", "format": "date-time",
                     "description": "The login (or registration) that opened it; RFC 3339, UTC",
                     "examples": ["2026-01-02T03:04:05.000000Z"]},
      "last_used_at": {"type": "string", "format": "date-time",
                       "description": "Its latest refresh, or its creation before the first; RFC 3339, UTC",
                       "examples": ["2026-01-02T04:05:06.000000Z"]},
      "expires_at": {"type": "string", "format": "date-time",
                     "description": "When its refresh token stops working; RFC 3339, UTC",
                     "examples": ["2026-01-09T03:04:05.000000Z"]},
      "ip": {"type": ["string", "null"],
             "description": "The client address of the login that opened it, then of its latest refresh (X-Forwarded-For only from a trusted proxy); null when not known",
             "examples": ["203.0.113.7"]},
      "user_agent": {"type": ["string", "null"],
                     "description": "The User-Agent of the login that opened it, then of its latest refresh; null when none was sent",
                     "examples": ["Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"]},
      "current": {"type": "boolean",
                  "description": "True for the session of the access token that asked (always false in an admin's list)"}
    }
  })json")
      .as_object();
}

}  // namespace

boost::json::value encode_sessions(const std::vector<services::SessionEntry>& entries) {
  boost::json::array out;
  out.reserve(entries.size());
  for (const auto& entry : entries) out.push_back(encode_session(entry));
  return out;
}

std::string decode_session_id(std::string_view raw) {
  auto id = uuid::parse(raw);
  if (!id) throw validation_error({"path", "sid"}, "Expected a UUID");
  return *id;
}

void describe_session_schemas(Catalog& c) {
  auto session_out = session_out_schema();
  session_out["properties"].as_object()["user_agent"].as_object()["maxLength"] =
      services::kUserAgentMaxChars;
  c.schemas["SessionOut"] = std::move(session_out);
  c.schemas["SessionList"] = {
      {"type", "array"},
      {"description", "Open sessions (not ended, not expired), newest first: the newest " +
                          std::to_string(services::kSessionListLimit) + " at most"},
      {"maxItems", services::kSessionListLimit},
      {"items", {{"$ref", "#/components/schemas/SessionOut"}}}};
  c.path_parameters["sid"] = {
      {"name", "sid"},
      {"in", "path"},
      {"required", true},
      {"description", "The session's id (the sid claim of its tokens)"},
      {"schema",
       {{"type", "string"},
        {"format", "uuid"},
        {"examples", boost::json::array{"01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f"}}}}};
}

}  // namespace gh::schemas
