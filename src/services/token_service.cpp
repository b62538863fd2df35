#include "services/token_service.hpp"

#include "core/api_error.hpp"
#include "core/random.hpp"
#include "services/crypto/token_hash.hpp"

namespace gh::services {

IssuedTokens TokenService::issue(const std::string& user_id, const std::string& session_id,
                                 int aal) const {
  const std::int64_t now = clock_.now_seconds();
  crypto::TokenClaims access{.sub = user_id,
                             .type = "access",
                             .sid = session_id,
                             .jti = random_token(16),
                             .iat = now,
                             .exp = now + access_seconds_,
                             .aal = aal};
  crypto::TokenClaims refresh{.sub = user_id,
                              .type = "refresh",
                              .sid = session_id,
                              .jti = random_token(16),
                              .iat = now,
                              .exp = now + refresh_seconds_,
                              .aal = aal};
  IssuedTokens out;
  out.pair.access_token = sign_access(access);
  out.pair.refresh_token = codec_.sign(refresh);
  out.refresh_hash = crypto::hash_token_id(refresh.jti);
  return out;
}

std::string TokenService::sign_access(const crypto::TokenClaims& claims) const {
  if (!ring_) return codec_.sign(claims);
  const auto keys = ring_->current();
  // Start makes an active key and nothing can revoke or delete it; only a hand-edited table
  // leaves none.
  if (!keys->signer) throw service_unavailable("No active signing key");
  return codec_.sign_with(claims, keys->signer->key, keys->signer->kid);
}

// A refresh token is HS256 in every mode; an access token is the ring's when there is one.
// `generation` is the ring's at the check: a remembered verification is good until it moves.
crypto::JwtCodec::Verified TokenService::verify_fresh(std::string_view token, std::string_view type,
                                                      std::int64_t now,
                                                      std::uint64_t& generation) const {
  if (!ring_ || type != "access") return codec_.verify(token, now);
  const auto keys = ring_->current();
  generation = keys->generation;
  return codec_.verify_with(token, now, [&keys](std::string_view kid) {
    const auto* found = keys->find(kid);
    return found ? &found->key : nullptr;
  });
}

std::optional<crypto::TokenClaims> TokenService::verify(std::string_view token,
                                                        std::string_view type) const {
  const std::int64_t now = clock_.now_seconds();
  // A revoked key's tokens must stop at once: what was remembered under an older key set is
  // checked again.
  std::uint64_t generation = ring_ ? ring_->generation() : 0;
  std::optional<crypto::TokenClaims> claims;
  if (const crypto::TokenClaims* known = verified_.find(token, generation)) {
    if (codec_.check_times(*known, now) != crypto::TokenError::none) return std::nullopt;
    claims = *known;
  } else {
    claims = verify_fresh(token, type, now, generation).claims;
    if (!claims) return std::nullopt;
    // Refresh tokens are spent once: remembering them would only push access tokens out.
    if (claims->type == "access") verified_.remember(token, *claims, generation);
  }
  if (claims->type != type) return std::nullopt;
  return claims;
}

}  // namespace gh::services
