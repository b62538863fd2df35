#pragma once
// Access tokens that verified, remembered per thread with their claims. A session's access
// token comes back with every request, and each time its HMAC and its JSON payload cost
// two fifths of GET /users/me; the same bytes need that work once. Only tokens that
// verified enter (nobody without the secret can fill the memory), at most kCapacity per
// thread (then it is forgotten all at once), and each owner (one TokenService, so one
// secret) sees only its own. What a remembered token still needs at every use (its type,
// expiry, and the live session the caller looks up) is checked by the caller every time.
// Lookups hash with a secret key and compare in constant time (verified_tokens.cpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "services/crypto/jwt.hpp"

namespace gh::services {

class VerifiedTokens {
 public:
  static constexpr std::size_t kCapacity = 512;

  VerifiedTokens();  // a new owner, sharing nothing with any other
  // The claims `token` verified with before, on this thread, for this owner, under the same
  // key set `generation` (0 when there is no key ring); null if none.
  const crypto::TokenClaims* find(std::string_view token, std::uint64_t generation = 0) const;
  void remember(std::string_view token, const crypto::TokenClaims& claims,
                std::uint64_t generation = 0) const;

 private:
  std::uint64_t owner_;
};

}  // namespace gh::services
