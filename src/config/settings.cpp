// load_settings: every variable read, validated and typed in one pass at start.
#include <arpa/inet.h>

#include <algorithm>
#include <limits>
#include <thread>

#include "config/lists.hpp"
#include "config/mail_settings.hpp"
#include "config/production_checks.hpp"
#include "config/secret_key.hpp"
#include "config/settings.hpp"
#include "config/text.hpp"
#include "config/values.hpp"

namespace gh::config {

namespace {

using detail::parse_integer;

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr unsigned kMaxThreads = 1024;

unsigned core_count() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads);
}

// Reads one variable at a time into a field, leaving the field's default when unset.
class Source {
 public:
  explicit Source(const Environment& env) : env_(env) {}

  const std::string* find(const std::string& name) const {
    const auto it = env_.find(name);
    return it == env_.end() ? nullptr : &it->second;
  }

  template <typename T>
  void integer(const std::string& name, T& field, std::int64_t min, std::int64_t max) const {
    if (const auto* text = find(name)) field = static_cast<T>(parse_integer(name, *text, min, max));
  }

  void boolean(const std::string& name, bool& field) const {
    if (const auto* text = find(name)) field = detail::parse_bool(name, *text);
  }

  void choice(const std::string& name, std::string& field,
              std::initializer_list<std::string_view> choices) const {
    if (const auto* text = find(name)) field = detail::parse_choice(name, *text, choices);
  }

  void text(const std::string& name, std::string& field) const {
    if (const auto* text = find(name)) field = *text;
  }

 private:
  const Environment& env_;
};

// The address to listen on: an IP address (IPv6 with or without brackets), or "localhost"
// for 127.0.0.1. Any other name is refused here rather than at bind time: listening needs
// one address, and a name's could change under a running server.
std::string listen_address(std::string host) {
  if (host == "localhost") return "127.0.0.1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned char parsed[16];
  if (inet_pton(AF_INET, host.c_str(), parsed) != 1 &&
      inet_pton(AF_INET6, host.c_str(), parsed) != 1) {
    throw ConfigError("HOST", "expected an IP address (or localhost), got " + detail::quoted(host));
  }
  return host;
}

void load_server(const Source& src, Settings& s) {
  src.text("HOST", s.host);
  s.host = listen_address(s.host);
  src.integer("PORT", s.port, 1, 65535);
  s.threads = core_count();
  src.integer("THREADS", s.threads, 1, kMaxThreads);
  src.integer("MAX_BODY_BYTES", s.max_body_bytes, 1, std::int64_t{1} << 30);
}

void load_tokens(const Source& src, Settings& s) {
  src.integer("ACCESS_TOKEN_EXPIRE_MINUTES", s.access_token_expire_minutes, 1, 1440);
  src.integer("REFRESH_TOKEN_EXPIRE_DAYS", s.refresh_token_expire_days, 1, 365);
  src.integer("LOGIN_MAX_FAILURES", s.login_max_failures, 1, 1000);
  src.integer("LOGIN_FAILURE_WINDOW_SECONDS", s.login_failure_window_seconds, 1, 86400);
  s.password_hash_threads = core_count();
  src.integer("PASSWORD_HASH_THREADS", s.password_hash_threads, 1, kMaxThreads);
  src.integer("PASSWORD_HASH_QUEUE", s.password_hash_queue, 1, 100000);
}

void load_cors(const Source& src, Settings& s) {
  if (const auto* text = src.find("ALLOWED_ORIGINS")) {
    s.allowed_origins = detail::parse_origins("ALLOWED_ORIGINS", *text);
  }
  // CORS is always sent with credentials, and "*" with credentials would let any site act
  // as a signed-in user.
  const bool any =
      std::find(s.allowed_origins.begin(), s.allowed_origins.end(), "*") != s.allowed_origins.end();
  if (any && s.production()) {
    throw ConfigError("ALLOWED_ORIGINS",
                      "\"*\" is refused in production (CORS allows "
                      "credentials); list the origins");
  }
}

void load_rate_limits(const Source& src, Settings& s) {
  src.integer("RATE_LIMIT_REQUESTS", s.rate_limit_requests, 0, 1000000);
  src.integer("RATE_LIMIT_WINDOW_SECONDS", s.rate_limit_window_seconds, 1, 86400);
  src.text("REDIS_URL", s.redis_url);
  // The URL is never quoted back: it may carry a password.
  if (!detail::trim(s.redis_url).empty()) s.redis = parse_redis_url(s.redis_url);
  src.boolean("REDIS_FAIL_OPEN", s.redis_fail_open);
  src.integer("REDIS_TIMEOUT_MS", s.redis_timeout_ms, 1, 60000);
  if (const auto* text = src.find("TRUSTED_PROXIES")) {
    // "none" says in so many words that clients connect directly (see production_checks).
    if (detail::to_lower(detail::trim(*text)) != "none")
      s.trusted_proxies = detail::parse_addresses("TRUSTED_PROXIES", *text);
  }
}

void load_database(const Source& src, Settings& s) {
  src.text("DATABASE_URL", s.database_url);
  s.database = parse_database_url(s.database_url);
  src.integer("DB_POOL_SIZE", s.db_pool_size, 1, 1000);
  src.integer("DB_MAX_OVERFLOW", s.db_max_overflow, 0, 1000);
  src.integer("DB_POOL_RECYCLE_SECONDS", s.db_pool_recycle_seconds, 0, kIntMax);
  src.boolean("DB_POOL_PRE_PING", s.db_pool_pre_ping);
  s.db_threads = 2;
  src.integer("DB_THREADS", s.db_threads, 1, 256);
  src.integer("STATS_CACHE_SECONDS", s.stats_cache_seconds, 0, 3600);
}

// Ten years of ended sessions is past any audit need; a purge a day at least keeps its
// batches small.
void load_sessions(const Source& src, Settings& s) {
  src.integer("SESSION_RETENTION_DAYS", s.session_retention_days, 0, 3650);
  src.integer("SESSION_PURGE_INTERVAL_SECONDS", s.session_purge_interval_seconds, 0, 86400);
}

// Types outside AUDIT_INCLUDE's one optional name are refused: a typo must not look like a
// trail that is being kept.
void load_audit(const Source& src, Settings& s) {
  src.boolean("AUDIT_ENABLED", s.audit_enabled);
  src.integer("AUDIT_RETENTION_DAYS", s.audit_retention_days, 0, 36500);
  src.integer("AUDIT_PURGE_INTERVAL_SECONDS", s.audit_purge_interval_seconds, 0, 86400);
  const auto* include = src.find("AUDIT_INCLUDE");
  if (!include) return;
  for (const auto& name : detail::parse_list("AUDIT_INCLUDE", *include)) {
    if (name != "session.refreshed")
      throw ConfigError("AUDIT_INCLUDE", "unknown optional event type '" + name +
                                             "' (the one optional type is session.refreshed)");
    s.audit_refreshes = true;
  }
}

void load_logging(const Source& src, Settings& s) {
  // "warning" and "critical" are the names Python's logging and uvicorn use.
  src.choice("LOG_LEVEL", s.log_level,
             {"trace", "debug", "info", "warn", "warning", "error", "critical", "off"});
  if (s.log_level == "warning") s.log_level = "warn";
  if (s.log_level == "critical") s.log_level = "error";
  src.choice("LOG_FORMAT", s.log_format, {"json", "text"});
}

// Limits on what a client may send and hold, and the cost of what it can ask for.
void load_hardening(const Source& src, Settings& s) {
  src.integer("MAX_HEADER_BYTES", s.max_header_bytes, 1024, 1024 * 1024);
  src.integer("HEADER_TIMEOUT_SECONDS", s.header_timeout_seconds, 1, 3600);
  src.integer("BODY_TIMEOUT_SECONDS", s.body_timeout_seconds, 1, 3600);
  src.integer("KEEPALIVE_TIMEOUT_SECONDS", s.keepalive_timeout_seconds, 1, 3600);
  src.integer("MAX_CONNECTIONS", s.max_connections, 1, 1000000);
  src.integer("LOGIN_MAX_FAILURES_PER_ADDRESS", s.login_max_failures_per_address, 1, 1000000);
  src.integer("LOGIN_MAX_FAILURES_PER_ACCOUNT", s.login_max_failures_per_account, 1, 1000000);
  src.integer("IPV6_PREFIX_LENGTH", s.ipv6_prefix_length, 32, 128);
  src.integer("MAX_CONNECTIONS_PER_ADDRESS", s.max_connections_per_address, 0, 1000000);
  // libsodium's floor is 8 KiB; 4 GiB per hash is past any sane server.
  src.integer("ARGON2_MEMORY_KIB", s.argon2_memory_kib, 8, std::int64_t{4} * 1024 * 1024);
  src.integer("ARGON2_ITERATIONS", s.argon2_iterations, 1, 100);
  src.text("JWT_ISSUER", s.jwt_issuer);
  src.text("JWT_AUDIENCE", s.jwt_audience);
  src.integer("JWT_LEEWAY_SECONDS", s.jwt_leeway_seconds, 0, 300);
  src.integer("HSTS_MAX_AGE_SECONDS", s.hsts_max_age_seconds, 0, 2 * 365 * 86400);
}

// The JWS names, spelled as RFC 7518 and RFC 8037 spell them whatever the case given.
void load_signing(const Source& src, Settings& s) {
  std::string alg = "hs256";
  src.choice("JWT_ALGORITHM", alg, {"hs256", "eddsa", "es256"});
  s.jwt_algorithm = alg == "eddsa" ? "EdDSA" : alg == "es256" ? "ES256" : "HS256";
  src.integer("KEYS_REFRESH_SECONDS", s.keys_refresh_seconds, 1, 3600);
  src.integer("KEY_PROPAGATION_SECONDS", s.key_propagation_seconds, 0, 30 * 86400);
  src.choice("MFA", s.mfa, {"optional", "required_for_admins", "required"});
}

// An absolute http(s) URL without query or fragment; a trailing slash is dropped so paths
// append to it. Unset: this instance as the machine itself reaches it.
void load_public_url(const Source& src, Settings& s) {
  s.public_url = "http://localhost:" + std::to_string(s.port);
  const auto* text = src.find("PUBLIC_URL");
  if (!text) return;
  std::string url(detail::trim(*text));
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool scheme = url.starts_with("http://") || url.starts_with("https://");
  const std::size_t authority = url.find("//") + 2;
  if (!scheme || url.size() <= authority || url.find_first_of("?# \t\"<>") != std::string::npos)
    throw ConfigError("PUBLIC_URL",
                      "expected an http:// or https:// URL without query or fragment, got " +
                          detail::quoted(*text));
  s.public_url = url;
}

void load_secret(const Source& src, Settings& s) {
  src.text("SECRET_KEY_FILE", s.secret_key_file);
  if (s.secret_key_file.empty()) throw ConfigError("SECRET_KEY_FILE", "expected a file path");
  const auto* given = src.find("SECRET_KEY");
  s.secret_key = detail::resolve_secret_key(
      given ? std::optional<std::string>(*given) : std::nullopt, s.production(), s.secret_key_file);
}

}  // namespace

Settings load_settings(const Environment& env) {
  const Source src(env);
  Settings s;
  src.choice("ENVIRONMENT", s.environment, {"development", "production"});
  load_server(src, s);
  load_tokens(src, s);
  load_cors(src, s);
  load_rate_limits(src, s);
  load_database(src, s);
  load_sessions(src, s);
  load_audit(src, s);
  load_logging(src, s);
  load_hardening(src, s);
  load_signing(src, s);
  load_public_url(src, s);
  detail::load_mail(env, s);
  s.admin_console = admin_console_setting(env);
  detail::check_production(env, s);
  // Last, so a bad setting elsewhere never leaves a freshly generated key file behind.
  load_secret(src, s);
  return s;
}

bool admin_console_setting(const Environment& env) {
  std::string console = "on";
  Source(env).choice("ADMIN_CONSOLE", console, {"on", "off"});
  return console == "on";
}

}  // namespace gh::config
