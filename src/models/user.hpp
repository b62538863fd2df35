#pragma once
#include <cstdint>
#include <string>

namespace gh::models {

struct User {
  std::string id;             // UUIDv7, canonical lower-case text
  std::string email;          // lower-cased
  std::string password_hash;  // Argon2id encoded string
  std::string role;           // "user" or "admin"
  bool is_active = true;
  std::int64_t created_at = 0;  // microseconds since the epoch, UTC
  std::int64_t updated_at = 0;
};

}  // namespace gh::models
