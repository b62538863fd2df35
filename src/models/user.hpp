#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "models/role.hpp"

namespace gh::models {

struct User {
  std::string id;             // UUIDv7, canonical lower-case text
  std::string email;          // lower-cased
  std::string password_hash;  // Argon2id encoded string
  Role role = Role::user;
  bool is_active = true;
  std::int64_t created_at = 0;  // microseconds since the epoch, UTC
  std::int64_t updated_at = 0;
  bool email_verified = false;     // the address took a mailed link (or an admin's word)
  std::int64_t last_login_at = 0;  // 0: never
  bool mfa_enabled = false;        // a TOTP factor is enabled
};

// Changes to apply to a user; unset fields stay as they are.
struct UserChanges {
  std::optional<std::string> email{};
  std::optional<Role> role{};
  std::optional<bool> is_active{};
};

struct UserCounts {
  std::int64_t total = 0;
  std::int64_t active = 0;
  std::int64_t admins = 0;  // active admins
};

}  // namespace gh::models
