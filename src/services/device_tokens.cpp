#include "services/device_tokens.hpp"

#include <sodium.h>

#include <cstring>

#include "core/base64url.hpp"

namespace gh::services {
namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kBodyBytes = kIdBytes + 8;  // device id, then the expiry (big-endian)
constexpr std::string_view kContext = "gatehouse device token v1";

std::string put_expiry(std::int64_t expires) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i, expires >>= 8)
    bytes[static_cast<std::size_t>(i)] = static_cast<char>(expires & 0xff);
  return bytes;
}

std::int64_t get_expiry(std::string_view bytes) {
  std::int64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

}  // namespace

// Its own key, so a device token's MAC can never be taken for a JWT signature or back.
DeviceTokens::DeviceTokens(std::string_view secret_key) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret_key.data()),
                              secret_key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kContext.data()),
                                kContext.size());
  crypto_auth_hmacsha256_final(&state, key_);
  sodium_memzero(&state, sizeof state);
}

DeviceTokens::~DeviceTokens() {
  sodium_memzero(key_, sizeof key_);
}

std::string DeviceTokens::mac(std::string_view account, std::string_view body) const {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_, sizeof key_);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(account.data()),
                                account.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string DeviceTokens::issue(std::string_view account, std::int64_t now_seconds) const {
  std::string body(kIdBytes, '\0');
  randombytes_buf(body.data(), body.size());
  body += put_expiry(now_seconds + kLifetimeSeconds);
  return base64url_encode(body + mac(account, body));
}

std::optional<std::string> DeviceTokens::verify(std::string_view token, std::string_view account,
                                                std::int64_t now_seconds) const {
  if (token.size() > 128) return std::nullopt;
  const auto bytes = base64url_decode(token);
  if (!bytes || bytes->size() != kBodyBytes + crypto_auth_hmacsha256_BYTES) return std::nullopt;
  const std::string_view body = std::string_view(*bytes).substr(0, kBodyBytes);
  const std::string expected = mac(account, body);
  if (sodium_memcmp(expected.data(), bytes->data() + kBodyBytes, expected.size()) != 0)
    return std::nullopt;
  if (get_expiry(body.substr(kIdBytes)) <= now_seconds) return std::nullopt;
  return base64url_encode(body.substr(0, kIdBytes));
}

}  // namespace gh::services
