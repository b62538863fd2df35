#pragma once
// A key that signs access tokens (API.md part two, "Signing keys"): standby (published, not
// signing) -> active (signs; exactly one) -> retired (published, verifies what it signed) ->
// revoked (unpublished, refused). A retired key may be activated again (a rollback).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::models {

enum class KeyState { standby, active, retired, revoked };

inline constexpr std::array<std::string_view, 4> kKeyStateNames{"standby", "active", "retired",
                                                                "revoked"};

constexpr std::string_view key_state_name(KeyState s) {
  return kKeyStateNames[static_cast<std::size_t>(s)];
}
constexpr std::optional<KeyState> parse_key_state(std::string_view name) {
  for (std::size_t i = 0; i < kKeyStateNames.size(); ++i)
    if (kKeyStateNames[i] == name) return static_cast<KeyState>(i);
  return std::nullopt;
}

// Published in the JWKS, so a token it signed (or will sign) verifies.
constexpr bool is_published(KeyState s) {
  return s != KeyState::revoked;
}

struct SigningKey {
  std::string kid;  // RFC 7638 thumbprint of the public key
  std::string alg;  // "EdDSA" or "ES256"
  KeyState state = KeyState::standby;
  std::string public_key;          // base64url of the raw public bytes
  std::string sealed_private_key;  // base64url of the sealed private bytes; empty once revoked
  std::int64_t created_at = 0;     // microseconds since the epoch
  std::optional<std::int64_t> activated_at, retired_at, revoked_at;
};

}  // namespace gh::models
