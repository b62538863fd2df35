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
  std::int64_t last_used_at = 0;  // the latest refresh; the creation until the first
  // Where the session is used from: the client address and User-Agent of the login that
  // opened it, then of its latest refresh. Empty: not known.
  std::string ip;
  std::string user_agent;
};

}  // namespace gh::models
