#pragma once
// RFC 6238 time-based one-time passwords as authenticator apps compute them: HMAC-SHA1
// (RFC 4226's dynamic truncation), 6 digits, 30-second steps. The secret travels as RFC 4648
// base32 (the otpauth URI's `secret`), without padding.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::crypto {

inline constexpr std::int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// RFC 4648 base32, upper case, no padding.
std::string base32_encode(std::string_view bytes);
// Upper or lower case, spaces and padding ignored (people type secrets in groups);
// nullopt for any other character.
std::optional<std::string> base32_decode(std::string_view text);

// RFC 4226 HOTP of `counter` under `key`, as `digits` decimal digits (leading zeros kept).
std::string hotp(std::string_view key, std::uint64_t counter, int digits = kTotpDigits);
// The time step of `unix_seconds`.
constexpr std::int64_t totp_step(std::int64_t unix_seconds) {
  return unix_seconds / kTotpStepSeconds;
}

// The step (of `now_step - 1`, `now_step`, `now_step + 1`: one step of skew either way) whose
// code is `code`, compared in constant time, and after `last_used_step` (a code is accepted
// once: RFC 6238 §5.2); nullopt when none is.
std::optional<std::int64_t> totp_match(std::string_view key, std::string_view code,
                                       std::int64_t now_step, std::int64_t last_used_step);

}  // namespace gh::crypto
