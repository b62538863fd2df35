#include "services/crypto/token_hasher.hpp"

#include <sodium.h>

#include "core/base64url.hpp"

namespace gh::crypto {

TokenHasher::TokenHasher(std::string_view secret_key, std::string_view purpose)
    : key_(derive_key(secret_key, "gatehouse token-hasher v1", purpose)) {}

TokenHasher::~TokenHasher() {
  sodium_memzero(key_.data(), key_.size());
}

std::string TokenHasher::hash(std::string_view token) const {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), key_.data(), key_.size());
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace gh::crypto
