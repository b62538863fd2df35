#pragma once
// JSON Web Tokens (RFC 7519 / RFC 7515). HS256 with the secret's bytes as written (refresh
// tokens always; access tokens in HS256 mode, so another service holding the same secret can
// verify them), and EdDSA or ES256 under a signing key named by `kid` (access tokens in those
// modes, verified by anyone with the published public key).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "services/crypto/signature.hpp"

namespace gh::crypto {

struct TokenClaims {
  std::string sub, type, sid, jti;
  std::int64_t iat = 0, exp = 0;
  // We issue none, but another issuer sharing the secret may: a token is refused before it.
  std::optional<std::int64_t> nbf;
  // The authenticator assurance level (NIST SP 800-63B) of the session: 1 a password, 2 a
  // password and a second factor. Written as `aal` ("aal1", "aal2") with the `amr` it implies
  // (["pwd"], ["pwd", "otp"]); a token without `aal` is aal1.
  int aal = 1;
};

enum class TokenError {
  none,
  malformed,
  unsupported_algorithm,
  bad_signature,
  expired,
  invalid_claims,
  unknown_key,  // a kid no published key has (or a revoked one)
};

// The published key a `kid` names, or null. Only the key decides the algorithm a token may
// use: a token's `alg` that differs from its key's is refused, never tried.
using KeyLookup = std::function<const PublicKey*(std::string_view kid)>;

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

  std::string sign(const TokenClaims& claims) const;  // HS256
  // Signed by `key`, whose `kid` goes in the header.
  std::string sign_with(const TokenClaims& claims, const PrivateKey& key,
                        std::string_view kid) const;

  struct Verified {
    std::optional<TokenClaims> claims;
    TokenError error = TokenError::none;
  };
  // Never throws for bad input. Checks the signature, exp, iat (not in the future), nbf
  // (reached, when present), and iss and aud when configured; the caller checks `type` and
  // whether the session is live.
  Verified verify(std::string_view token, std::int64_t now_unix_seconds) const;  // HS256 only
  // The same checks for a token signed by a published key: the header must name it by `kid`
  // and carry its algorithm. An HS256 token (so every refresh token) is refused here.
  Verified verify_with(std::string_view token, std::int64_t now_unix_seconds,
                       const KeyLookup& keys) const;
  // verify()'s time checks alone (iat and nbf not in the future, exp not past), for claims it
  // verified earlier: what a remembered verification must redo at every use.
  TokenError check_times(const TokenClaims& claims, std::int64_t now_unix_seconds) const;

 private:
  Verified read_payload(std::string_view payload_text, std::int64_t now_unix_seconds) const;
  std::string payload_part(const TokenClaims& claims) const;

  std::string secret_;
  JwtOptions options_;
};

// HMAC-SHA256 of data under a key of any length: the raw 32-byte MAC.
std::string hs256(std::string_view key, std::string_view data);

// The decoded payload JSON text when the token is well formed, its header says exactly
// "HS256" and the signature is valid under key; nullopt otherwise.
std::optional<std::string> verify_hs256_signature(std::string_view token, std::string_view key);

}  // namespace gh::crypto
