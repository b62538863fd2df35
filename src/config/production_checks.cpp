#include "config/production_checks.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace gh::config::detail {
namespace {

// OWASP's Argon2id floor is m x t of 19 MiB x 2 (or the same product in other shapes).
constexpr std::size_t kMinArgon2Work = 19456 * 2;

bool is_wildcard_host(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return v4.s_addr == INADDR_ANY;
  in6_addr v6{};
  const std::string bare = host.size() > 2 && host.front() == '[' && host.back() == ']'
                               ? host.substr(1, host.size() - 2)
                               : host;
  if (inet_pton(AF_INET6, bare.c_str(), &v6) == 1)
    return std::memcmp(&v6, &in6addr_any, sizeof v6) == 0;
  return false;
}

}  // namespace

void check_production(const Environment& env, Settings& s) {
  const bool any_origin =
      std::find(s.allowed_origins.begin(), s.allowed_origins.end(), "*") != s.allowed_origins.end();
  if (s.asymmetric_tokens() && s.key_propagation_seconds < s.keys_refresh_seconds)
    s.warnings.push_back(
        "KEY_PROPAGATION_SECONDS is below KEYS_REFRESH_SECONDS: a key may sign on one instance "
        "before another publishes it");
  if (!s.production()) {
    if (any_origin)
      s.warnings.push_back(
          "ALLOWED_ORIGINS is \"*\": any web site can call this API with a "
          "user's credentials; production refuses it");
    return;
  }
  if (is_wildcard_host(s.host) && !env.contains("TRUSTED_PROXIES")) {
    throw ConfigError("TRUSTED_PROXIES",
                      "HOST=" + s.host +
                          " listens on every interface: list the proxies that forward "
                          "X-Forwarded-For, or set TRUSTED_PROXIES=none if clients connect "
                          "directly");
  }
  if (s.argon2_memory_kib * s.argon2_iterations < kMinArgon2Work)
    s.warnings.push_back(
        "ARGON2_MEMORY_KIB x ARGON2_ITERATIONS is below OWASP's Argon2id "
        "baseline (19456 KiB x 2)");
  if (!env.contains("PUBLIC_URL"))
    s.warnings.push_back("PUBLIC_URL is unset: the OAuth metadata names " + s.public_url +
                         "; set the URL clients reach this service at");
  if (s.hsts_max_age_seconds == 0)
    s.warnings.push_back(
        "HSTS_MAX_AGE_SECONDS is 0: no Strict-Transport-Security header; "
        "set it unless the TLS proxy adds one");
}

}  // namespace gh::config::detail
