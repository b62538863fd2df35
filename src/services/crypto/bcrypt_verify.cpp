#include "services/crypto/bcrypt_verify.hpp"

#include <crypt.h>
#include <sodium.h>

#include <algorithm>
#include <memory>

namespace gh::crypto {
namespace {

constexpr std::size_t kBcryptLength = 60;
constexpr std::string_view kBcryptAlphabet =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_bcrypt_hash(std::string_view encoded) {
  if (encoded.size() != kBcryptLength) return false;
  const auto prefix = encoded.substr(0, 4);
  if (prefix != "$2a$" && prefix != "$2b$" && prefix != "$2y$") return false;
  if (!is_digit(encoded[4]) || !is_digit(encoded[5]) || encoded[6] != '$') return false;
  const auto rest = encoded.substr(7);
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return kBcryptAlphabet.find(c) != std::string_view::npos; });
}

bool bcrypt_verify(const std::string& encoded, const std::string& password) {
  if (!is_bcrypt_hash(encoded) || password.find('\0') != std::string::npos) return false;
  // crypt_data is ~32 KiB: too big for a pool thread's stack to take lightly.
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_r(password.c_str(), encoded.c_str(), data.get());
  // libxcrypt returns NULL or a "*" failure token for a setting it cannot use.
  const bool ok = out != nullptr && std::char_traits<char>::length(out) == kBcryptLength &&
                  sodium_memcmp(out, encoded.data(), kBcryptLength) == 0;  // constant time
  sodium_memzero(data.get(), sizeof(crypt_data));                          // it held the password
  return ok;
}

}  // namespace gh::crypto
