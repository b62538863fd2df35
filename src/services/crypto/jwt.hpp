#pragma once
// HS256 JSON Web Tokens (RFC 7519 / RFC 7515), signed with the secret's bytes as
// written so another service holding the same secret can verify them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::crypto {

struct TokenClaims {
  std::string sub, type, sid, jti;
  std::int64_t iat = 0, exp = 0;
  // We issue none, but another issuer sharing the secret may: a token is refused before it.
  std::optional<std::int64_t> nbf;
};

enum class TokenError {
  none,
  malformed,
  unsupported_algorithm,
  bad_signature,
  expired,
  invalid_claims
};

struct JwtOptions {
  std::int64_t leeway_seconds = 0;  // clock skew allowed past exp (and before iat and nbf)
  std::string issuer;               // when set: written as `iss`, and a token must carry exactly it
  std::string audience;             // when set: written as `aud`, and a token's `aud` must name it
};

class JwtCodec {
 public:
  // Throws std::invalid_argument for an empty secret or a negative leeway.
  explicit JwtCodec(std::string secret, std::int64_t leeway_seconds = 0);
  JwtCodec(std::string secret, JwtOptions options);

  std::string sign(const TokenClaims& claims) const;

  struct Verified {
    std::optional<TokenClaims> claims;
    TokenError error = TokenError::none;
  };
  // Never throws for bad input. Checks the signature, exp, iat (not in the future), nbf
  // (reached, when present), and iss and aud when configured; the caller checks `type` and
  // whether the session is live.
  Verified verify(std::string_view token, std::int64_t now_unix_seconds) const;
  // verify()'s time checks alone (iat and nbf not in the future, exp not past), for claims it
  // verified earlier: what a remembered verification must redo at every use.
  TokenError check_times(const TokenClaims& claims, std::int64_t now_unix_seconds) const;

 private:
  std::string secret_;
  JwtOptions options_;
};

// HMAC-SHA256 of data under a key of any length: the raw 32-byte MAC.
std::string hs256(std::string_view key, std::string_view data);

// The decoded payload JSON text when the token is well formed, its header says exactly
// "HS256" and the signature is valid under key; nullopt otherwise.
std::optional<std::string> verify_hs256_signature(std::string_view token, std::string_view key);

}  // namespace gh::crypto
