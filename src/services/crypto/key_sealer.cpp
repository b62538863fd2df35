#include "services/crypto/key_sealer.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "core/crypto_init.hpp"
#include "services/crypto/derived_key.hpp"

namespace gh::crypto {
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

// SECRET_KEY may be any length (BLAKE2b keys stop at 64 bytes), so it is first hashed to 64;
// the purpose then keys a second hash under it, so the key that seals signing keys is not
// the one that seals anything else, and neither is SECRET_KEY itself (which signs tokens).
KeySealer::KeySealer(std::string_view secret_key, std::string_view purpose) {
  auto key = derive_key(secret_key, "gatehouse key-sealer v1", purpose);
  std::copy(key.begin(), key.end(), key_);
  sodium_memzero(key.data(), key.size());
}

KeySealer::~KeySealer() {
  sodium_memzero(key_, sizeof key_);
}

std::string KeySealer::seal(std::string_view plain, std::string_view associated) const {
  std::string out(1 + kNonce + plain.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kVersion;
  randombytes_buf(p + 1, kNonce);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(p + 1 + kNonce, &len, bytes_of(plain), plain.size(),
                                             bytes_of(associated), associated.size(), nullptr,
                                             p + 1, key_);
  return out;
}

std::optional<std::string> KeySealer::open(std::string_view sealed,
                                           std::string_view associated) const {
  if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion)
    return std::nullopt;
  const auto* p = bytes_of(sealed);
  std::string plain(sealed.size() - 1 - kNonce - kTag, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr, p + 1 + kNonce,
          sealed.size() - 1 - kNonce, bytes_of(associated), associated.size(), p + 1, key_) != 0)
    return std::nullopt;
  plain.resize(len);
  return plain;
}

}  // namespace gh::crypto
