#include "services/crypto/token_hash.hpp"

#include <sodium.h>

#include <array>

namespace gh::crypto {

std::string hash_token_id(std::string_view jti) {
  // A fast unsalted hash is enough: a jti is a random value we chose, not a guessable secret.
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(jti.data()), jti.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace gh::crypto
