#pragma once
// UserOut, UserPatch and the list's query parameters.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/user.hpp"
#include "services/user_types.hpp"

namespace gh::schemas {

boost::json::value encode_user(const models::User& user);
boost::json::value encode_users(const std::vector<models::User>& users);

// POST /users: {email, password, role?}. The password follows the registration policy.
services::NewUser decode_user_create(const boost::json::value& body);

// {email?, role?, is_active?}; at least one is not required (an empty patch is a no-op).
models::UserChanges decode_user_patch(const boost::json::value& body);

// The bounds of `limit` in every list (API.md: 1..100, default 50), read by decode_page and
// described with each list's query parameters.
inline constexpr std::int64_t kLimitMin = 1, kLimitMax = 100, kLimitDefault = 50;

struct Page {
  std::int64_t skip = 0;
  std::int64_t limit = 50;
};
// skip >= 0, 1 <= limit <= 100; absent means the default.
Page decode_page(const std::optional<std::string>& skip, const std::optional<std::string>& limit);

// The canonical id from a path parameter, or a 422 at ["path", "id"].
std::string decode_user_id(std::string_view raw);

boost::json::value encode_counts(const models::UserCounts& counts);

}  // namespace gh::schemas
