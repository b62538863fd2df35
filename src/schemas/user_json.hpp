#pragma once
// UserOut as JSON text, written straight into a string: the same bytes as serializing
// encode_user()'s value, without building a json::object per user (the hot GET /users/me
// and GET /users/ spent more on that than on their queries).
#include <string>
#include <string_view>
#include <vector>

#include "core/json_string.hpp"
#include "models/user.hpp"

namespace gh::schemas {

std::string user_json(const models::User& user);
std::string users_json(const std::vector<models::User>& users);

using ::gh::append_json_string;  // tested here, where UserOut relies on it

}  // namespace gh::schemas
