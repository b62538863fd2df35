#pragma once
// What a user may do: the access levels of the routes (http::Access) map onto it. Stored as
// its name ("user", "admin"), which the SQL of the last-admin guard also reads.
#include <optional>
#include <string_view>

namespace gh::models {

enum class Role { user, admin };

constexpr std::string_view role_name(Role role) {
  return role == Role::admin ? "admin" : "user";
}

constexpr std::optional<Role> parse_role(std::string_view name) {
  if (name == "user") return Role::user;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

}  // namespace gh::models
