#pragma once
// Typed settings: read once at start from the environment and `.env`, validated, then
// passed down by constructor. Names and defaults follow API.md.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gh::config {

// A bad setting: names the variable, says what is wrong. main prints it and exits 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string setting, const std::string& message)
      : std::runtime_error(setting + ": " + message), setting_(std::move(setting)) {}
  const std::string& setting() const noexcept { return setting_; }

 private:
  std::string setting_;
};

struct DatabaseUrl {
  enum class Kind { sqlite, postgres };
  Kind kind = Kind::sqlite;
  // sqlite: a file path as written (relative to the working directory, or absolute),
  // or ":memory:".
  std::string path;
  // postgres: the URL with any "+driver" removed, usable as a libpq conninfo URI.
  std::string conninfo;
  std::string host, user, password, dbname;
  std::uint16_t port = 5432;
};

// Parses SQLAlchemy-style URLs: sqlite:///rel.db, sqlite:////abs.db, sqlite:///:memory:,
// postgresql[+driver]://user:pass@host:port/db. Throws ConfigError("DATABASE_URL", ...).
DatabaseUrl parse_database_url(const std::string& url);

// redis://[[user]:password@]host[:port][/db]. Throws ConfigError("REDIS_URL", ...).
struct RedisUrl {
  std::string host;
  std::uint16_t port = 6379;
  int db = 0;
  std::string user, password;  // never logged
};
RedisUrl parse_redis_url(const std::string& url);

struct Settings {
  std::string environment = "development";  // or "production"
  bool production() const { return environment == "production"; }

  DatabaseUrl database;
  std::string database_url = "sqlite:///gatehouse.db";
  std::string secret_key;  // never logged
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  unsigned threads = 0;  // 0 before load; load sets it to the core count when unset

  int access_token_expire_minutes = 15;
  int refresh_token_expire_days = 7;
  std::vector<std::string> allowed_origins{"http://localhost:3000"};

  int rate_limit_requests = 100;  // 0 turns the limiter off
  int rate_limit_window_seconds = 60;
  std::string redis_url;
  std::optional<RedisUrl> redis;  // set when REDIS_URL is
  bool redis_fail_open = true;    // REDIS_FAIL_OPEN: Redis down -> limits in the process
  int redis_timeout_ms = 250;     // REDIS_TIMEOUT_MS: a command not answered by then fails

  int db_pool_size = 20;
  int db_max_overflow = 10;
  int db_pool_recycle_seconds = 300;
  bool db_pool_pre_ping = true;

  std::vector<std::string> trusted_proxies;
  std::string log_level = "info";   // trace, debug, info, warn, error, off
  std::string log_format = "json";  // json or text

  // gatehouse's own, beyond the reference app.
  std::size_t max_body_bytes = 1024 * 1024;  // MAX_BODY_BYTES
  unsigned password_hash_threads = 0;        // PASSWORD_HASH_THREADS, default the core count
  unsigned password_hash_queue = 64;         // PASSWORD_HASH_QUEUE: waiting hashes before 503
  unsigned db_threads = 0;                   // DB_THREADS (SQLite worker threads), default 2
  int login_max_failures = 5;  // LOGIN_MAX_FAILURES per account and client address per window
  int login_failure_window_seconds = 900;  // LOGIN_FAILURE_WINDOW_SECONDS
  // STATS_CACHE_SECONDS: read and checked so an existing .env still starts, but unused since
  // /users/stats reads exact counters kept with the rows.
  int stats_cache_seconds = 10;
  std::string secret_key_file = ".gatehouse-secret";  // SECRET_KEY_FILE (development only)
  // SESSION_RETENTION_DAYS: how long a session is kept past its end (revoked or expired)
  // before the purge deletes it; 0: at the first purge after it ends.
  int session_retention_days = 30;
  int session_purge_interval_seconds = 300;  // SESSION_PURGE_INTERVAL_SECONDS, 0: no purge
  // The audit log (docs/security.md): AUDIT_ENABLED=false writes no event (for comparison runs).
  bool audit_enabled = true;
  int audit_retention_days = 90;           // AUDIT_RETENTION_DAYS, 0: kept forever
  int audit_purge_interval_seconds = 300;  // AUDIT_PURGE_INTERVAL_SECONDS, 0: no purge
  // AUDIT_INCLUDE: optional event types recorded too; only session.refreshed is optional.
  bool audit_refreshes = false;

  // Hostile-input limits and hardening (docs/security.md).
  std::size_t max_header_bytes = 16 * 1024;  // MAX_HEADER_BYTES: larger headers get 431
  int header_timeout_seconds = 10;           // HEADER_TIMEOUT_SECONDS: from the first byte
  int body_timeout_seconds = 30;             // BODY_TIMEOUT_SECONDS: body read, response write
  int keepalive_timeout_seconds = 30;        // KEEPALIVE_TIMEOUT_SECONDS: idle between requests
  std::size_t max_connections = 10000;       // MAX_CONNECTIONS per instance
  int login_max_failures_per_address = 50;   // LOGIN_MAX_FAILURES_PER_ADDRESS per window
  int login_max_failures_per_account = 100;  // LOGIN_MAX_FAILURES_PER_ACCOUNT, every address
  int ipv6_prefix_length = 64;               // IPV6_PREFIX_LENGTH: one client to the limits
  std::size_t max_connections_per_address = 1000;  // MAX_CONNECTIONS_PER_ADDRESS, 0: no cap
  std::size_t argon2_memory_kib = 19456;           // ARGON2_MEMORY_KIB (m)
  unsigned argon2_iterations = 2;                  // ARGON2_ITERATIONS (t)
  std::string jwt_issuer;                          // JWT_ISSUER: set in `iss` and required when set
  std::string jwt_audience;      // JWT_AUDIENCE: set in `aud` and required when set
  int jwt_leeway_seconds = 10;   // JWT_LEEWAY_SECONDS: clock skew allowed on exp
  int hsts_max_age_seconds = 0;  // HSTS_MAX_AGE_SECONDS: 0 sends no HSTS
  // JWT_ALGORITHM: what signs access tokens. "HS256" (SECRET_KEY), or "EdDSA" / "ES256" (the
  // active key of the signing_keys table; the first of its kind is made at start).
  std::string jwt_algorithm = "HS256";
  int keys_refresh_seconds = 10;      // KEYS_REFRESH_SECONDS: how soon a key change is seen
  int key_propagation_seconds = 600;  // KEY_PROPAGATION_SECONDS: published before it may sign
  bool asymmetric_tokens() const { return jwt_algorithm != "HS256"; }
  // MFA: optional, required_for_admins or required (who must have a second factor before
  // their tokens reach more than their profile, /auth/mfa/* and logout; and then admin routes
  // need aal2).
  std::string mfa = "optional";
  bool admin_console = true;  // ADMIN_CONSOLE: on serves /admin, off leaves it out
  // PUBLIC_URL: where clients reach this service, without a trailing slash; the OAuth
  // metadata's endpoints (and mail's links) are built on it, never on a request's Host.
  // Default http://localhost:{PORT}.
  std::string public_url;
  // Mail (API.md part two, "Email"; config/mail_settings.cpp). Without SMTP_URL development
  // logs each mail and production answers the mail endpoints 503 EMAIL_UNAVAILABLE.
  std::string smtp_url;  // SMTP_URL: never logged or quoted back (it may hold a password)
  std::string mail_from = "gatehouse <no-reply@localhost>";  // MAIL_FROM
  int mail_retry_hours = 24;               // MAIL_RETRY_HOURS: then the mail has failed
  int mail_retry_seconds = 30;             // MAIL_RETRY_SECONDS: the first retry's wait, doubling
  int mail_poll_milliseconds = 1000;       // MAIL_POLL_MILLISECONDS: how often the outbox is read
  int mail_per_account_per_hour = 5;       // MAIL_PER_ACCOUNT_PER_HOUR
  int password_reset_ttl_minutes = 60;     // PASSWORD_RESET_TTL_MINUTES
  int email_verification_ttl_hours = 24;   // EMAIL_VERIFICATION_TTL_HOURS
  std::string email_verification = "off";  // EMAIL_VERIFICATION: off, optional or required
  // Link templates with {token} once; built on PUBLIC_URL by default.
  std::string password_reset_url, email_verification_url, invitation_url;
  std::string mail_templates_dir;  // MAIL_TEMPLATES_DIR: overrides of the compiled-in ones
  // Whether mail can go out at all: to a server, or (in development) to the log.
  bool mail_available() const { return !smtp_url.empty() || !production(); }
  bool verification_on() const { return email_verification != "off"; }
  // Said once at start (not refusals): main or serve logs them.
  std::vector<std::string> warnings;
};

using Environment = std::map<std::string, std::string>;

// The process environment overlaid on the `.env` file at `dotenv_path` (the process wins).
// A missing file is fine; an unreadable or malformed one is a ConfigError.
Environment read_environment(const std::string& dotenv_path = ".env");

// Parses `.env` text: KEY=VALUE lines, `#` comments, optional `export `, single or double
// quotes (double quotes understand \n, \", \\). Throws ConfigError naming the line.
Environment parse_dotenv(const std::string& text);

// Builds and validates settings. In development a missing SECRET_KEY is generated once and
// kept in `secret_key_file` (mode 0600) so tokens survive restarts; production refuses a
// missing, short (< 32 bytes) or placeholder key. Throws ConfigError.
Settings load_settings(const Environment& env);

// ADMIN_CONSOLE alone (on unless "off"; anything else is a ConfigError): what the route
// table, and so `gatehouse openapi`, depends on, read without the rest of the settings.
bool admin_console_setting(const Environment& env);

}  // namespace gh::config
