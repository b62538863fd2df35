// Configuration parsing: `.env` text, DATABASE_URL, and whole settings built from a fuzzed
// `.env`. Every bad input must be a ConfigError naming a setting, never anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  try {
    static_cast<void>(gh::config::parse_database_url(input));
  } catch (const gh::config::ConfigError&) {
  }
  gh::config::Environment env;
  try {
    env = gh::config::parse_dotenv(input);
  } catch (const gh::config::ConfigError&) {
    return 0;
  }
  // A non-empty key is always given, so development never reads or writes a key file (an
  // empty SECRET_KEY counts as unset, and SECRET_KEY_FILE would be the fuzzer's to choose).
  if (auto& key = env["SECRET_KEY"]; key.empty()) key = "fuzzing-key-fuzzing-key-fuzzing-key-0123";
  try {
    static_cast<void>(gh::config::load_settings(env));
  } catch (const gh::config::ConfigError& e) {
    if (e.setting().empty()) __builtin_trap();
  }
  return 0;
}
