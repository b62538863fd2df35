#pragma once
// The query string of GET /users/: paging (skip, limit, cursor) and filters (q, role,
// is_active), decoded into a models::UserQuery; and the opaque cursor of the next page.
#include <optional>
#include <string>

#include "models/user_query.hpp"

namespace gh::schemas {

struct UserListParams {  // raw, percent-decoded values as the request carries them
  std::optional<std::string> skip, limit, cursor, q, role, is_active, email_verified;
};

// 422 at ["query", name] for a value out of its bounds, a malformed or foreign cursor,
// a `q` shorter than 3 characters, or `skip` together with `cursor`.
models::UserQuery decode_user_query(const UserListParams& raw);

std::string encode_cursor(const models::UserPosition& position);

// The query string of the page after `query`, which starts after `next`: the same limit
// and filters, the cursor instead of skip.
std::string next_page_query(const models::UserQuery& query, const models::UserPosition& next);

}  // namespace gh::schemas
