#pragma once
// Settings for an application or its services on a private SQLite database in memory: a
// fixed key (no key file is written), the cheapest Argon2id libsodium allows, no request
// rate limit and no logs. `extra` adds or replaces variables.
#include <utility>

#include "config/settings.hpp"

namespace gh::test {

inline config::Settings in_memory_settings(const config::Environment& extra = {}) {
  config::Environment env{
      {"DATABASE_URL", "sqlite:///:memory:"},
      {"SECRET_KEY", "in-memory-test-key-in-memory-test-key-0123"},
      {"RATE_LIMIT_REQUESTS", "0"},
      {"ARGON2_MEMORY_KIB", "8"},  // libsodium's floor: hashes in microseconds
      {"ARGON2_ITERATIONS", "1"},
      {"PASSWORD_HASH_THREADS", "1"},
      {"LOG_LEVEL", "off"},
  };
  for (const auto& [name, value] : extra) env.insert_or_assign(name, value);
  return config::load_settings(env);
}

}  // namespace gh::test
