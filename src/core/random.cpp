#include "core/random.hpp"

#include <sodium.h>

#include "core/base64url.hpp"
#include "core/crypto_init.hpp"

namespace gh {

std::string random_token(std::size_t bytes) {
  crypto_init();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string token = base64url_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return token;
}

}  // namespace gh
