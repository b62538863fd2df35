#pragma once
// Issues and checks the access/refresh pair of a session. Knows JWT, not HTTP. With a key
// ring (JWT_ALGORITHM EdDSA or ES256) access tokens are signed by its active key and checked
// against its published keys; refresh tokens are HS256 in every mode, so one can never pass
// for an access token (nor the other way round) by its signature alone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "services/auth_types.hpp"
#include "services/crypto/jwt.hpp"
#include "services/key_ring.hpp"
#include "services/verified_tokens.hpp"

namespace gh::services {

struct IssuedTokens {
  TokenPair pair;
  std::string refresh_hash;  // what the session row stores for the new refresh token
};

class TokenService {
 public:
  TokenService(const crypto::JwtCodec& codec, const Clock& clock, int access_minutes,
               int refresh_days, const KeyRing* ring = nullptr)
      : codec_(codec),
        ring_(ring),
        clock_(clock),
        access_seconds_(static_cast<std::int64_t>(access_minutes) * 60),
        refresh_seconds_(static_cast<std::int64_t>(refresh_days) * 86400) {}

  // `aal`: the session's assurance level (crypto::TokenClaims::aal), carried by both tokens
  // so a refresh keeps it.
  IssuedTokens issue(const std::string& user_id, const std::string& session_id, int aal = 1) const;
  // The claims of a valid, unexpired token of the given type ("access" or "refresh"). An
  // access token that verified before on this thread is not verified again (see
  // verified_tokens.hpp); its type and times are.
  std::optional<crypto::TokenClaims> verify(std::string_view token, std::string_view type) const;
  std::int64_t refresh_lifetime_micros() const { return refresh_seconds_ * 1'000'000; }

 private:
  std::string sign_access(const crypto::TokenClaims& claims) const;
  crypto::JwtCodec::Verified verify_fresh(std::string_view token, std::string_view type,
                                          std::int64_t now, std::uint64_t& generation) const;

  const crypto::JwtCodec& codec_;
  const KeyRing* ring_;
  const Clock& clock_;
  std::int64_t access_seconds_;
  std::int64_t refresh_seconds_;
  VerifiedTokens verified_;
};

}  // namespace gh::services
