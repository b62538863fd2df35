#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace gh::models {

// A login: one chain of rotating refresh tokens. Access and refresh tokens carry its id.
struct Session {
  std::string id;  // UUIDv7
  std::string user_id;
  std::string refresh_hash;     // hash of the current refresh token's jti, never the token
  std::int64_t created_at = 0;  // microseconds since the epoch
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

}  // namespace gh::models
