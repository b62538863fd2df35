#pragma once
// SessionOut and the session id of a path: the list of open sessions (API.md, part two).
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "services/session_service.hpp"

namespace gh::schemas {

// [{id, created_at, last_used_at, expires_at, ip, user_agent, current}], in the given order;
// an address or agent not known is null.
boost::json::value encode_sessions(const std::vector<services::SessionEntry>& entries);

// The canonical id from the {sid} path parameter, or a 422 at ["path", "sid"].
std::string decode_session_id(std::string_view raw);

}  // namespace gh::schemas
