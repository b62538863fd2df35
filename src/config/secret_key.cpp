#include "config/secret_key.hpp"

#include <algorithm>
#include <array>

#include "config/key_file.hpp"
#include "config/settings.hpp"
#include "config/text.hpp"

namespace gh::config::detail {

namespace {

const std::string kSetting = "SECRET_KEY";
constexpr std::size_t kMinProductionBytes = 32;

// Exact values (lower-cased) copied from templates; "changeme" and friends are caught below.
constexpr auto kPlaceholders = std::to_array<std::string_view>(
    {"secret", "changeit", "password", "your-256-bit-secret-here", "secret-key", "secretkey",
     "supersecret", "mysecret", "default", "development"});

// Fragments that only a template or tutorial would put in a key.
constexpr auto kPlaceholderParts = std::to_array<std::string_view>(
    {"change-me", "changeme", "change_me", "replace-me", "replace_me"});

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view prefix) { return text.starts_with(prefix); });
}

// Error messages never include the key itself.
void check_production_key(const std::optional<std::string>& key) {
  if (!key) throw ConfigError(kSetting, "required when ENVIRONMENT=production");
  if (key->size() < kMinProductionBytes) {
    throw ConfigError(kSetting, "must be at least 32 bytes in production");
  }
  if (is_placeholder_key(*key)) {
    throw ConfigError(kSetting,
                      "is a placeholder value; generate a random key, e.g. "
                      "`openssl rand -base64 48`");
  }
}

}  // namespace

bool is_placeholder_key(std::string_view key) {
  const std::string lower = to_lower(trim(key));
  if (lower.empty()) return true;
  if (std::find(kPlaceholders.begin(), kPlaceholders.end(), lower) != kPlaceholders.end()) {
    return true;
  }
  if (starts_with_any(lower, {"your-", "your_"})) return true;
  const auto contains = [&](std::string_view part) {
    return lower.find(part) != std::string::npos;
  };
  if (std::any_of(kPlaceholderParts.begin(), kPlaceholderParts.end(), contains)) return true;
  // "aaaa...": long enough to pass the length check, yet guessable.
  return lower.find_first_not_of(lower.front()) == std::string::npos;
}

std::string resolve_secret_key(const std::optional<std::string>& given, bool production,
                               const std::string& key_file) {
  // An empty SECRET_KEY= line in a `.env` means "not set", not "sign with nothing".
  const std::optional<std::string> key =
      given && !given->empty() ? given : std::optional<std::string>();
  if (production) {
    check_production_key(key);
    return *key;
  }
  if (key) return *key;
  if (auto kept = read_key_file(key_file)) return *kept;
  return create_key_file(key_file);
}

}  // namespace gh::config::detail
