#include "app.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <thread>

#include "core/crypto_init.hpp"
#include "core/io_load.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/run_sync.hpp"
#include "db/audit_repository.hpp"
#include "db/mfa_repository.hpp"
#include "db/migrator.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/session_repository.hpp"
#include "db/signing_key_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "dependencies/guard.hpp"
#include "http/server.hpp"
#include "jobs/audit_writer.hpp"
#include "jobs/key_refresh.hpp"
#include "jobs/mail_jobs.hpp"
#include "jobs/purge.hpp"
#include "middleware/access_log.hpp"
#include "middleware/cors.hpp"
#include "middleware/error_envelope.hpp"
#include "middleware/metrics.hpp"
#include "middleware/rate_limit.hpp"
#include "middleware/request_id.hpp"
#include "middleware/security_headers.hpp"
#include "redis/client.hpp"
#include "redis/shared_limiter.hpp"
#include "routers/audit.hpp"
#include "routers/auth.hpp"
#include "routers/console.hpp"
#include "routers/docs.hpp"
#include "routers/email.hpp"
#include "routers/health.hpp"
#include "routers/keys.hpp"
#include "routers/metrics.hpp"
#include "routers/mfa.hpp"
#include "routers/oauth.hpp"
#include "routers/openapi_document.hpp"
#include "routers/sessions.hpp"
#include "routers/users.hpp"
#include "schemas/catalog.hpp"
#include "services/auth_service.hpp"
#include "services/email_flows.hpp"
#include "services/mfa_service.hpp"
#include "services/session_service.hpp"
#include "services/signing_keys.hpp"
#include "services/user_service.hpp"

namespace gh {
namespace {

std::vector<RequestMetrics::Endpoint> metric_endpoints(const http::Router& router) {
  std::vector<RequestMetrics::Endpoint> out;
  for (const auto& r : router.routes())
    out.push_back({std::string(http::bhttp::to_string(r.method)), r.path});
  return out;
}

// Above this much CPU in the io threads, the hash pool runs one hash fewer at once. A login
// alone costs the io threads a few percent; serving other requests beside a login storm,
// most of a core.
constexpr double kBusyIoCores = 0.25;

unsigned or_cores(unsigned n) {
  return n ? n : std::max(1u, std::thread::hardware_concurrency());
}

std::unique_ptr<db::Database> open_database(const config::Settings& s) {
  if (s.database.kind == config::DatabaseUrl::Kind::postgres)
    return db::open_postgres(db::PostgresOptions{.conninfo = s.database.conninfo,
                                                 .pool_size = s.db_pool_size,
                                                 .max_overflow = s.db_max_overflow,
                                                 .recycle_seconds = s.db_pool_recycle_seconds,
                                                 .pre_ping = s.db_pool_pre_ping,
                                                 .io_threads = or_cores(s.threads)});
  return db::open_sqlite(db::SqliteOptions{s.database.path, s.db_threads ? s.db_threads : 2});
}

// The session purge's own way to PostgreSQL: pools are per io_context, and one on the
// purge's thread would keep an io thread's share of DB_POOL_SIZE open for a statement every
// few minutes; this one holds a single connection. SQLite's worker threads serve any thread
// (and a :memory: database is the process's one connection): none there.
std::unique_ptr<db::Database> open_purge_database(const config::Settings& s) {
  if (s.database.kind != config::DatabaseUrl::Kind::postgres) return nullptr;
  return db::open_postgres(db::PostgresOptions{.conninfo = s.database.conninfo,
                                               .pool_size = 1,
                                               .max_overflow = 0,
                                               .recycle_seconds = s.db_pool_recycle_seconds,
                                               .pre_ping = s.db_pool_pre_ping,
                                               .io_threads = 1});
}

// On SQLite a batch holds the one write lock, and a pool thread the requests share, for as
// long as it deletes: 1000 rows of a ten-million-row table took about 100 ms (five B-trees,
// the user_id one a random page per row, and the checkpoint its pages set off), a refresh's
// p99 with it. 100 rows take a few ms; the backlog then goes at 700-850 rows a second,
// still far more than logins add (bench/README.md, "The session purge").
constexpr std::int64_t kSqlitePurgeBatch = 100;

jobs::PurgeOptions purge_options(const config::Settings& s) {
  jobs::PurgeOptions options{
      .interval = std::chrono::seconds(s.session_purge_interval_seconds),
      .retention_micros = std::int64_t{s.session_retention_days} * 86'400'000'000};
  if (s.database.kind == config::DatabaseUrl::Kind::sqlite) options.batch = kSqlitePurgeBatch;
  return options;
}

// The same batch as the sessions': the table has as many indexes, and the write lock is one.
jobs::PurgeOptions audit_purge_options(const config::Settings& s) {
  jobs::PurgeOptions options{
      .interval = std::chrono::seconds(s.audit_purge_interval_seconds),
      .retention_micros = std::int64_t{s.audit_retention_days} * 86'400'000'000};
  if (s.database.kind == config::DatabaseUrl::Kind::sqlite) options.batch = kSqlitePurgeBatch;
  return options;
}

// Finished mail and expired link tokens are kept a week: long enough to look into a
// complaint ("I never got the mail"), short enough that the table stays small.
constexpr std::int64_t kMailRetentionMicros = 7LL * 86'400'000'000;

jobs::MailJobOptions mail_job_options(const config::Settings& s) {
  jobs::MailJobOptions o{
      .smtp_url = s.smtp_url,
      .mail_from = s.mail_from,
      .templates_dir = s.mail_templates_dir,
      .delivery = {.password_reset_url = s.password_reset_url,
                   .email_verification_url = s.email_verification_url,
                   .invitation_url = s.invitation_url,
                   .password_reset_ttl_micros =
                       std::int64_t{s.password_reset_ttl_minutes} * 60'000'000,
                   .email_verification_ttl_micros =
                       std::int64_t{s.email_verification_ttl_hours} * 3'600'000'000,
                   .give_up_after_micros = std::int64_t{s.mail_retry_hours} * 3'600'000'000,
                   .retry_base_micros = std::int64_t{s.mail_retry_seconds} * 1'000'000,
                   .per_account_per_hour = s.mail_per_account_per_hour},
      .poll = std::chrono::milliseconds(s.mail_poll_milliseconds),
      .purge = {.interval = std::chrono::seconds(s.session_purge_interval_seconds),
                .retention_micros = kMailRetentionMicros}};
  if (s.database.kind == config::DatabaseUrl::Kind::sqlite) o.purge.batch = kSqlitePurgeBatch;
  return o;
}

// How many failure events may wait for the writer: a few seconds of a login storm; past it
// they are dropped (and counted), never waited for.
constexpr std::size_t kAuditQueueCapacity = 20000;

constexpr int kHourSeconds = 3600;

}  // namespace

struct App::Parts {
  explicit Parts(config::Settings s)
      : settings(std::move(s)),
        database(open_database(settings)),
        migrator(*database, db::embedded_migrations(database->dialect())),
        users(*database),
        sessions(*database),
        codec(settings.secret_key, crypto::JwtOptions{settings.jwt_leeway_seconds,
                                                      settings.jwt_issuer, settings.jwt_audience}),
        tokens(codec, clock, settings.access_token_expire_minutes,
               settings.refresh_token_expire_days,
               settings.asymmetric_tokens() ? &key_ring : nullptr),
        login_failures(std::make_unique<LocalRateLimiter>(
            settings.login_max_failures, settings.login_failure_window_seconds, clock)),
        account_failures(std::make_unique<LocalRateLimiter>(
            settings.login_max_failures_per_account, settings.login_failure_window_seconds, clock)),
        address_failures(std::make_unique<LocalRateLimiter>(
            settings.login_max_failures_per_address, settings.login_failure_window_seconds, clock)),
        requests(std::make_unique<LocalRateLimiter>(settings.rate_limit_requests,
                                                    settings.rate_limit_window_seconds, clock)),
        mail_requests(std::make_unique<LocalRateLimiter>(settings.mail_per_account_per_hour,
                                                         kHourSeconds, clock)) {}

  // With REDIS_URL, the limits move to Redis (for `serve` only: the
  // one-shot commands need none of them). Before the pipeline is built.
  void share_through_redis();

  crypto::PasswordHasher& hasher() {
    if (!hasher_)
      hasher_ = std::make_unique<crypto::PasswordHasher>(
          crypto::PasswordHasher::Params{settings.argon2_iterations,
                                         settings.argon2_memory_kib * 1024},
          or_cores(settings.password_hash_threads), settings.password_hash_queue,
          [] { return io_threads::load().cores() > kBusyIoCores; });
    return *hasher_;
  }

  routers::MetricsSources metrics_sources() {
    routers::MetricsSources sources{
        request_metrics,
        security,
        *database,
        [this] { return hasher_ ? hasher_->queue_depth() : std::size_t{0}; },
        [this] {
          return hasher_ ? hasher_->verifications().load(std::memory_order_relaxed)
                         : std::uint64_t{0};
        },
        GATEHOUSE_VERSION};
    if (redis) sources.redis_available = [this] { return redis->available(); };
    sources.session_purge = &session_purge;
    sources.audit = &audit_stats;
    sources.audit_queue = &audit_queue;
    sources.audit_purge = &audit_purge;
    sources.keys = &key_ring;
    sources.mail = &mail_stats;
    sources.mail_purge = &mail_purge;
    return sources;
  }

  http::Pipeline build_pipeline(services::AuthService& auth, services::UserService& user_service,
                                services::SessionService& session_service,
                                services::SigningKeys& keys, services::EmailFlows& email,
                                services::MfaService& mfa, dependencies::Guard& guard);

  services::SigningKeyOptions key_options() const {
    return {.propagation_micros = std::int64_t{settings.key_propagation_seconds} * 1'000'000,
            // Another instance signs with a retired key until its next reread of the table:
            // its last token may be that much younger than the retirement.
            .token_lifetime_micros = (std::int64_t{settings.access_token_expire_minutes} * 60 +
                                      settings.jwt_leeway_seconds + settings.keys_refresh_seconds) *
                                     1'000'000};
  }

  config::Settings settings;
  SystemClock clock;
  std::unique_ptr<db::Database> database;
  db::Migrator migrator;
  db::UserRepository users;
  db::SessionRepository sessions;
  db::AuditRepository audit_events{*database};
  services::AuditQueries audit_queries{audit_events};
  db::SigningKeyRepository signing_keys{*database};
  crypto::KeySealer key_sealer{settings.secret_key, "signing-key"};
  services::KeyRing key_ring{key_sealer, settings.asymmetric_tokens()};
  crypto::JwtCodec codec;
  services::DeviceTokens devices{settings.secret_key};
  services::TokenService tokens;
  std::unique_ptr<RateLimiter> login_failures;  // per account and address
  std::unique_ptr<RateLimiter> account_failures;
  std::unique_ptr<RateLimiter> address_failures;
  std::unique_ptr<RateLimiter> requests;
  std::unique_ptr<RateLimiter> mail_requests;  // mails asked for per address or account
  std::unique_ptr<redis::Client> redis;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  routers::PublishedDocument openapi;
  RequestMetrics request_metrics;
  SecurityCounters security;
  PurgeStats session_purge;
  services::AuditStats audit_stats;
  services::AuditQueue audit_queue{kAuditQueueCapacity};
  services::AuditLog audit{services::AuditOptions{.enabled = settings.audit_enabled,
                                                  .record_refreshes = settings.audit_refreshes},
                           clock, audit_queue, audit_stats};
  PurgeStats audit_purge;
  db::MailOutboxRepository outbox{*database};
  db::MailTokenRepository mail_tokens{*database};
  crypto::TokenHasher token_hasher{settings.secret_key, "mail-token"};
  services::MailStats mail_stats;
  PurgeStats mail_purge;
  db::MfaRepository mfa{*database};
  crypto::KeySealer totp_sealer{settings.secret_key, "totp-seed"};
  crypto::TokenHasher recovery_code_hasher{settings.secret_key, "recovery-code"};
  crypto::TokenHasher challenge_hasher{settings.secret_key, "mfa-challenge"};

  services::MailPolicy mail_policy() const {
    return {.available = settings.mail_available(), .verification_on = settings.verification_on()};
  }
};

void App::Parts::share_through_redis() {
  if (!settings.redis) return;
  const auto& url = *settings.redis;
  redis::Options options;
  options.host = url.host;
  options.port = url.port;
  options.db = url.db;
  options.user = url.user;
  options.password = url.password;
  options.timeout = std::chrono::milliseconds(settings.redis_timeout_ms);
  redis = std::make_unique<redis::Client>(options);
  const bool open = settings.redis_fail_open;
  login_failures = std::make_unique<redis::SharedRateLimiter>(
      *redis, "login-pair", settings.login_max_failures, settings.login_failure_window_seconds,
      open, clock);
  account_failures = std::make_unique<redis::SharedRateLimiter>(
      *redis, "login-acct", settings.login_max_failures_per_account,
      settings.login_failure_window_seconds, open, clock);
  address_failures = std::make_unique<redis::SharedRateLimiter>(
      *redis, "login-addr", settings.login_max_failures_per_address,
      settings.login_failure_window_seconds, open, clock);
  requests = std::make_unique<redis::SharedRateLimiter>(
      *redis, "rl", settings.rate_limit_requests, settings.rate_limit_window_seconds, open, clock);
  mail_requests = std::make_unique<redis::SharedRateLimiter>(
      *redis, "mail", settings.mail_per_account_per_hour, kHourSeconds, open, clock);
}

http::Pipeline App::Parts::build_pipeline(services::AuthService& auth,
                                          services::UserService& user_service,
                                          services::SessionService& session_service,
                                          services::SigningKeys& keys, services::EmailFlows& email,
                                          services::MfaService& mfa, dependencies::Guard& guard) {
  http::Router router;
  for (auto& r : routers::health_routes(*database, migrator, redis.get())) router.add(std::move(r));
  for (auto& r : routers::auth_routes(auth)) router.add(std::move(r));
  const routers::OAuthServer oauth{
      .issuer = settings.jwt_issuer.empty() ? settings.public_url : settings.jwt_issuer,
      .public_url = settings.public_url,
      .access_seconds = std::int64_t{settings.access_token_expire_minutes} * 60};
  for (auto& r : routers::oauth_routes(auth, oauth)) router.add(std::move(r));
  for (auto& r : routers::email_routes(email)) router.add(std::move(r));
  for (auto& r : routers::mfa_routes(mfa)) router.add(std::move(r));
  for (auto& r : routers::user_routes(user_service)) router.add(std::move(r));
  for (auto& r : routers::session_routes(session_service)) router.add(std::move(r));
  for (auto& r : routers::audit_routes(audit_queries)) router.add(std::move(r));
  for (auto& r : routers::key_routes(keys, key_ring)) router.add(std::move(r));
  for (auto& r : routers::docs_routes(openapi)) router.add(std::move(r));
  if (settings.admin_console)
    for (auto& r : routers::console_routes()) router.add(std::move(r));
  for (auto& r : routers::metrics_routes(metrics_sources())) router.add(std::move(r));
  request_metrics.set_routes(metric_endpoints(router));
  // Generated from the finished table, so every route is in it (or this throws).
  openapi.publish(boost::json::serialize(
      routers::openapi_document(router.routes(), schemas::catalog(), GATEHOUSE_VERSION)));

  // Outermost first. The error envelope sits inside the decorators so that error
  // responses get a request id, CORS and security headers like any other.
  std::vector<std::unique_ptr<http::Middleware>> chain;
  chain.push_back(std::make_unique<middleware::RequestId>());
  chain.push_back(std::make_unique<middleware::Metrics>(request_metrics));
  chain.push_back(std::make_unique<middleware::AccessLog>());
  chain.push_back(std::make_unique<middleware::SecurityHeaders>());
  chain.push_back(std::make_unique<middleware::Cors>(settings.allowed_origins));
  chain.push_back(std::make_unique<middleware::ErrorEnvelope>());
  if (settings.rate_limit_requests > 0) {
    chain.push_back(std::make_unique<middleware::RateLimit>(*requests, &security));
  }
  return http::Pipeline(std::move(chain), std::move(router), guard);
}

// The services and the pipeline of a serving app, built in place: they refer to each other.
struct App::Stack {
  explicit Stack(Parts& p)
      : auth({p.users, p.sessions, p.hasher(), p.tokens, p.clock, *p.login_failures,
              *p.account_failures, *p.address_failures, p.devices, p.audit, &p.security,
              p.mail_policy(), &p.mfa, &p.challenge_hasher}),
        user_service(p.users, p.hasher(), p.clock, p.audit, p.mail_policy()),
        session_service(p.sessions, p.users, p.clock, p.audit, &p.security),
        signing_keys(p.signing_keys, p.key_ring, p.key_sealer, p.clock, p.audit, p.key_options()),
        email({p.users, p.outbox, p.mail_tokens, p.token_hasher, p.hasher(), auth, p.clock, p.audit,
               *p.mail_requests, p.mail_policy()}),
        mfa({p.mfa, p.sessions, p.users, p.totp_sealer, p.recovery_code_hasher, p.challenge_hasher,
             auth, p.clock, p.audit,
             p.settings.jwt_issuer.empty() ? "gatehouse" : p.settings.jwt_issuer}),
        guard(auth, {.require_verified = p.settings.email_verification == "required",
                     .mfa = dependencies::parse_mfa_policy(p.settings.mfa)}),
        pipeline(p.build_pipeline(auth, user_service, session_service, signing_keys, email, mfa,
                                  guard)) {}

  services::AuthService auth;
  services::UserService user_service;
  services::SessionService session_service;
  services::SigningKeys signing_keys;
  services::EmailFlows email;
  services::MfaService mfa;
  dependencies::Guard guard;
  http::Pipeline pipeline;
};

App::App(config::Settings settings) {
  crypto_init();
  parts_ = std::make_unique<Parts>(std::move(settings));
}

App::~App() = default;

int App::serve() {
  auto& p = *parts_;
  // sqlite:///:memory: lives and dies with this process: no `migrate up` could ever reach
  // it, so the schema is applied here.
  const bool private_memory =
      p.settings.database.kind == config::DatabaseUrl::Kind::sqlite &&
      (p.settings.database.path.empty() || p.settings.database.path == ":memory:");
  if (private_memory) {
    const int applied = run_sync(p.migrator.up());
    log::info("migrated", {{"database", std::string_view("in memory")},
                           {"applied", static_cast<long long>(applied)}});
  }
  if (int pending = run_sync(p.migrator.pending_count()); pending > 0) {
    std::fprintf(stderr, "gatehouse: %d migration(s) pending; run `gatehouse migrate up` first\n",
                 pending);
    return 2;
  }
  for (const auto& warning : p.settings.warnings)
    log::warn("configuration", {{"warning", warning}});
  p.share_through_redis();
  http::ServerOptions options;
  options.host = p.settings.host;
  options.port = p.settings.port;
  options.threads = or_cores(p.settings.threads);
  options.max_body_bytes = p.settings.max_body_bytes;
  options.trusted_proxies = p.settings.trusted_proxies;
  options.ipv6_prefix = p.settings.ipv6_prefix_length;
  options.max_connections_per_address = p.settings.max_connections_per_address;
  options.max_header_bytes = p.settings.max_header_bytes;
  options.header_timeout = std::chrono::seconds(p.settings.header_timeout_seconds);
  options.body_timeout = std::chrono::seconds(p.settings.body_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(p.settings.keepalive_timeout_seconds);
  options.max_connections = p.settings.max_connections;
  options.fixed_fields = middleware::fixed_security_headers(p.settings.hsts_max_age_seconds);
  http::Server server(options, pipeline());
  prepare_signing_keys();
  server.bind();
  const auto purge_database = open_purge_database(p.settings);
  db::SessionRepository purged_sessions(purge_database ? *purge_database : *p.database);
  db::MfaRepository purged_challenges(purge_database ? *purge_database : *p.database);
  // A login's MFA challenge goes with the sessions: it is worth 5 minutes at most.
  jobs::Purge purge(
      "sessions",
      [&](std::int64_t cutoff, std::int64_t limit) -> boost::asio::awaitable<std::int64_t> {
        const std::int64_t sessions = co_await purged_sessions.purge_ended(cutoff, limit);
        co_return sessions + co_await purged_challenges.purge_challenges(cutoff, limit);
      },
      p.clock, purge_options(p.settings), p.session_purge);
  if (p.settings.session_purge_interval_seconds > 0) purge.start();
  // The audit log's failure writer and purge, each on a thread (and database) of its own.
  const auto audit_database = open_purge_database(p.settings);
  jobs::AuditWriter audit_writer(audit_database ? *audit_database : *p.database, p.audit_queue,
                                 p.audit_stats);
  audit_writer.start();
  const auto audit_purge_database = open_purge_database(p.settings);
  db::AuditRepository purged_events(audit_purge_database ? *audit_purge_database : *p.database);
  jobs::Purge audit_purge(
      "audit_events",
      [&purged_events](std::int64_t cutoff, std::int64_t limit) {
        return purged_events.purge_before(cutoff, limit);
      },
      p.clock, audit_purge_options(p.settings), p.audit_purge);
  if (p.settings.audit_retention_days > 0 && p.settings.audit_purge_interval_seconds > 0)
    audit_purge.start();
  // Another instance's key changes reach this one's ring (the JWKS and the checks) in time.
  const auto keys_database = open_purge_database(p.settings);
  db::SigningKeyRepository refreshed_keys(keys_database ? *keys_database : *p.database);
  jobs::KeyRefresh key_refresh(refreshed_keys, p.key_ring,
                               std::chrono::seconds(p.settings.keys_refresh_seconds));
  if (p.settings.asymmetric_tokens()) key_refresh.start();
  // Mail: without a way to send it (production without SMTP_URL) nothing is ever queued.
  const auto mail_database = open_purge_database(p.settings);
  const auto mail_purge_database = open_purge_database(p.settings);
  jobs::MailJobs mail_jobs({.work = mail_database ? *mail_database : *p.database,
                            .purge = mail_purge_database ? *mail_purge_database : *p.database,
                            .hasher = p.token_hasher,
                            .clock = p.clock,
                            .stats = p.mail_stats,
                            .purge_stats = p.mail_purge,
                            .audit = p.audit},
                           mail_job_options(p.settings));
  if (p.settings.mail_available()) mail_jobs.start();
  server.run([&] {
    log::info("listening", {{"host", std::string_view(options.host)},
                            {"port", static_cast<long long>(server.port())},
                            {"threads", static_cast<long long>(options.threads)}});
  });
  key_refresh.stop();
  mail_jobs.stop();
  purge.stop();
  audit_purge.stop();
  audit_writer.stop();  // writes what is queued
  // Before the server's io_contexts go: a drain cut short can leave a Redis command in
  // flight, whose answer (or "nothing", as the client closes) is posted to its io thread.
  p.redis.reset();
  log::info("stopped");
  return 0;
}

void App::prepare_signing_keys() {
  auto& p = *parts_;
  auto& keys = stack_->signing_keys;
  if (!p.settings.asymmetric_tokens()) {
    run_sync(keys.reload());  // only counted, for /metrics
    log::info("jwks_empty",
              {{"reason", std::string_view("JWT_ALGORITHM is HS256: access tokens are signed with "
                                           "SECRET_KEY, which is never published. Set "
                                           "JWT_ALGORITHM=EdDSA or ES256 for tokens that other "
                                           "services verify from /.well-known/jwks.json")}});
    return;
  }
  run_sync(keys.ensure_active(p.settings.jwt_algorithm));
  const auto ring = p.key_ring.current();
  const std::string alg(crypto::algorithm_name(ring->signer->key.algorithm()));
  log::info("signing_keys", {{"active_kid", std::string_view(ring->signer->kid)},
                             {"algorithm", std::string_view(alg)},
                             {"published", static_cast<long long>(ring->published.size())}});
  if (alg != p.settings.jwt_algorithm)
    log::warn("configuration",
              {{"warning", std::string_view("JWT_ALGORITHM names another algorithm than the "
                                            "active key's; the active key signs (rotate to a key "
                                            "of JWT_ALGORITHM with /admin/keys)")}});
}

template <class F>
void App::with_offline_pipeline(F&& use, bool admin_console) {
  // The route table needs no database or configuration: an in-memory database and a
  // throwaway key stand in, and nothing is read or written on disk.
  config::Settings settings;
  settings.admin_console = admin_console;
  settings.database = config::parse_database_url("sqlite:///:memory:");
  settings.secret_key = random_token(48);
  settings.password_hash_threads = 1;
  App app(std::move(settings));
  const http::Pipeline& pipeline = app.pipeline();
  use(*app.parts_, pipeline);
}

int App::print_openapi(bool admin_console) {
  with_offline_pipeline(
      [](Parts& p, const http::Pipeline&) { std::printf("%s\n", p.openapi.json().c_str()); },
      admin_console);
  return 0;
}

std::vector<http::Route> App::route_table() {
  std::vector<http::Route> table;
  with_offline_pipeline([&table](Parts&, const http::Pipeline& pipeline) {
    table = pipeline.router().routes();
    for (auto& r : table) r.handler = nullptr;  // they refer to services about to go
  });
  return table;
}

const http::Pipeline& App::pipeline() {
  if (!stack_) stack_ = std::make_unique<Stack>(*parts_);
  return stack_->pipeline;
}

std::string_view App::version() {
  return GATEHOUSE_VERSION;
}

const config::Settings& App::settings() const {
  return parts_->settings;
}

int App::migrate_up() {
  int applied = run_sync(parts_->migrator.up());
  std::printf("applied %d migration(s)\n", applied);
  return 0;
}

int App::migrate_down(int steps) {
  int reverted = run_sync(parts_->migrator.down(steps));
  std::printf("reverted %d migration(s)\n", reverted);
  return 0;
}

int App::migrate_status() {
  for (const auto& m : run_sync(parts_->migrator.status()))
    std::printf("%04d %-32s %s\n", m.version, m.name.c_str(), m.applied ? "applied" : "pending");
  return 0;
}

int App::create_admin(const std::string& email, std::string password) {
  auto& p = *parts_;
  if (run_sync(p.migrator.pending_count()) > 0) {
    std::fprintf(stderr, "gatehouse: migrations pending; run `gatehouse migrate up` first\n");
    return 2;
  }
  services::UserService user_service(p.users, p.hasher(), p.clock, p.audit);
  bool created = run_sync(user_service.create_admin(email, std::move(password), p.sessions));
  std::printf(created ? "created admin %s\n" : "promoted %s to admin\n", email.c_str());
  return 0;
}

int App::keys(const KeysCommand& c) {
  auto& p = *parts_;
  if (run_sync(p.migrator.pending_count()) > 0) {
    std::fprintf(stderr, "gatehouse: migrations pending; run `gatehouse migrate up` first\n");
    return 2;
  }
  services::SigningKeys keys(p.signing_keys, p.key_ring, p.key_sealer, p.clock, p.audit,
                             p.key_options());
  const services::KeyCommand command{.force = c.force, .reason = "cli"};
  const auto say = [](const char* what, const models::SigningKey& k) {
    std::printf("%s %s (%s), now %s\n", what, k.kid.c_str(), k.alg.c_str(),
                std::string(models::key_state_name(k.state)).c_str());
  };
  if (c.action == "list") {
    for (const auto& k : run_sync(keys.list()))
      std::printf("%-44s %-6s %s\n", k.kid.c_str(), k.alg.c_str(),
                  std::string(models::key_state_name(k.state)).c_str());
  } else if (c.action == "create") {
    say("created", run_sync(keys.create(c.alg, command)));
  } else if (c.action == "activate") {
    say("activated", run_sync(keys.activate(c.kid, command)));
  } else if (c.action == "revoke") {
    say("revoked", run_sync(keys.revoke(c.kid, command)));
  } else if (c.action == "delete") {
    run_sync(keys.remove(c.kid, command));
    std::printf("deleted %s\n", c.kid.c_str());
  }
  return 0;
}

}  // namespace gh
