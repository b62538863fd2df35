#pragma once
// Device tokens (OWASP's "device cookies"): a successful login hands the client a token
// that proves it has logged in to that account before; presented on a later login, it
// takes that login out of the account-wide failure limit, which only a distributed attack
// reaches, and counts its failures under the device instead of the address. So an attacker
// who spends the account's budget from many addresses still cannot lock its owner out.
//
// Stateless: an HMAC (key derived from SECRET_KEY) over what the caller binds it to (the
// account and its current password hash, so a password change voids every device), a random
// device id and an expiry. It grants nothing but a login attempt that the owner's password
// must still win; a stolen one gives a thief the owner's throttle, no more.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::services {

class DeviceTokens {
 public:
  static constexpr std::int64_t kLifetimeSeconds = 90 * 86400;

  explicit DeviceTokens(std::string_view secret_key);
  ~DeviceTokens();
  DeviceTokens(const DeviceTokens&) = delete;
  DeviceTokens& operator=(const DeviceTokens&) = delete;

  // A new token bound to `account`, valid for kLifetimeSeconds.
  std::string issue(std::string_view account, std::int64_t now_seconds) const;
  // The device id of a valid, unexpired token issued for `account`; nullopt otherwise.
  std::optional<std::string> verify(std::string_view token, std::string_view account,
                                    std::int64_t now_seconds) const;

 private:
  std::string mac(std::string_view account, std::string_view body) const;

  unsigned char key_[32];
};

}  // namespace gh::services
