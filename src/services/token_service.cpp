#include "services/token_service.hpp"

#include "core/random.hpp"
#include "services/crypto/token_hash.hpp"

namespace gh::services {

IssuedTokens TokenService::issue(const std::string& user_id, const std::string& session_id) const {
  const std::int64_t now = clock_.now_seconds();
  crypto::TokenClaims access{.sub = user_id,
                             .type = "access",
                             .sid = session_id,
                             .jti = random_token(16),
                             .iat = now,
                             .exp = now + access_seconds_};
  crypto::TokenClaims refresh{.sub = user_id,
                              .type = "refresh",
                              .sid = session_id,
                              .jti = random_token(16),
                              .iat = now,
                              .exp = now + refresh_seconds_};
  IssuedTokens out;
  out.pair.access_token = codec_.sign(access);
  out.pair.refresh_token = codec_.sign(refresh);
  out.refresh_hash = crypto::hash_token_id(refresh.jti);
  return out;
}

std::optional<crypto::TokenClaims> TokenService::verify(std::string_view token,
                                                        std::string_view type) const {
  const std::int64_t now = clock_.now_seconds();
  std::optional<crypto::TokenClaims> claims;
  if (const crypto::TokenClaims* known = verified_.find(token)) {
    if (codec_.check_times(*known, now) != crypto::TokenError::none) return std::nullopt;
    claims = *known;
  } else {
    claims = codec_.verify(token, now).claims;
    if (!claims) return std::nullopt;
    // Refresh tokens are spent once: remembering them would only push access tokens out.
    if (claims->type == "access") verified_.remember(token, *claims);
  }
  if (claims->type != type) return std::nullopt;
  return claims;
}

}  // namespace gh::services
