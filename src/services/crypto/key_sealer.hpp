#pragma once
// Seals the private halves of signing keys (and later TOTP seeds) at rest: XChaCha20-Poly1305
// under a key derived from SECRET_KEY for one purpose, with the row's id as associated data
// so that a sealed value moved to another row does not open.
#include <optional>
#include <string>
#include <string_view>

namespace gh::crypto {

class KeySealer {
 public:
  // purpose: a fixed label such as "signing-key"; different purposes derive different keys.
  KeySealer(std::string_view secret_key, std::string_view purpose);
  ~KeySealer();  // wipes the derived key
  KeySealer(const KeySealer&) = delete;
  KeySealer& operator=(const KeySealer&) = delete;

  // Version byte || nonce || ciphertext+tag, as bytes (the caller stores them as it likes).
  std::string seal(std::string_view plain, std::string_view associated) const;
  // nullopt when tampered with, sealed under another SECRET_KEY or purpose, or for another row.
  std::optional<std::string> open(std::string_view sealed, std::string_view associated) const;

 private:
  unsigned char key_[32];
};

}  // namespace gh::crypto
