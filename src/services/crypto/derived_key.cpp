#include "services/crypto/derived_key.hpp"

#include <sodium.h>

#include <string>

#include "core/crypto_init.hpp"

namespace gh::crypto {

Key32 derive_key(std::string_view secret_key, std::string_view scheme, std::string_view purpose) {
  crypto_init();
  unsigned char root[crypto_generichash_BYTES_MAX];
  crypto_generichash(root, sizeof root, reinterpret_cast<const unsigned char*>(secret_key.data()),
                     secret_key.size(), nullptr, 0);
  std::string label(scheme);
  label += '\0';
  label += purpose;
  Key32 key{};
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), root, sizeof root);
  sodium_memzero(root, sizeof root);
  return key;
}

}  // namespace gh::crypto
