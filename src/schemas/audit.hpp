#pragma once
// The audit log's query strings (GET /admin/audit-events, GET /users/me/audit-events),
// decoded into a models::AuditQuery; a page of events as its JSON body; and the opaque
// cursor of the next page.
#include <optional>
#include <string>

#include "models/audit_event.hpp"

namespace gh::schemas {

struct AuditListParams {  // raw, percent-decoded values as the request carries them
  std::optional<std::string> type, outcome, user_id, actor_id, ip, since, until, limit, cursor;
};

// Every filter of the admin's list. 422 at ["query", name] for an unknown event type (named),
// an outcome other than success or failure, an id that is not a UUID, an address that is not
// one, a time that is not RFC 3339, a limit outside 1..100, a malformed or foreign cursor.
models::AuditQuery decode_audit_query(const AuditListParams& raw);
// A person's own list: limit and cursor only (the other fields are not read); the caller
// sets the subject.
models::AuditQuery decode_own_audit_query(const AuditListParams& raw);

std::string encode_audit_cursor(const models::AuditPosition& position);

// {"items": [...], "next_cursor": "..." | null}
std::string audit_page_json(const models::AuditPage& page);

}  // namespace gh::schemas
