#include "routers/metrics.hpp"

#include "models/mail.hpp"

#include <memory>

#include "core/prometheus_text.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::bhttp::verb;

namespace {

using Labels = PrometheusText::Labels;

void write_requests(PrometheusText& out, const RequestMetrics& requests) {
  auto series = requests.snapshot();
  out.family("gatehouse_http_requests_total", "counter",
             "HTTP requests answered, by route template, method and status");
  for (const auto& s : series) {
    out.sample("gatehouse_http_requests_total",
               {{"route", s.endpoint->route}, {"method", s.endpoint->method}, {"status", s.status}},
               static_cast<double>(s.count));
  }
  out.family("gatehouse_http_request_duration_seconds", "histogram",
             "Time from the request read to the response ready, by route template, method and "
             "status");
  for (const auto& s : series) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < s.buckets.size(); ++b) {
      cumulative += s.buckets[b];
      char le[32];
      if (b < RequestMetrics::kBuckets.size())
        std::snprintf(le, sizeof le, "%g", RequestMetrics::kBuckets[b]);
      else
        std::snprintf(le, sizeof le, "+Inf");
      out.sample("gatehouse_http_request_duration_seconds_bucket",
                 {{"route", s.endpoint->route},
                  {"method", s.endpoint->method},
                  {"status", s.status},
                  {"le", le}},
                 static_cast<double>(cumulative));
    }
    Labels labels{
        {"route", s.endpoint->route}, {"method", s.endpoint->method}, {"status", s.status}};
    out.sample("gatehouse_http_request_duration_seconds_sum", labels,
               static_cast<double>(s.sum_micros) / 1e6);
    out.sample("gatehouse_http_request_duration_seconds_count", labels,
               static_cast<double>(s.count));
  }
  out.family("gatehouse_http_requests_in_flight", "gauge", "HTTP requests being handled now");
  out.sample("gatehouse_http_requests_in_flight", {}, static_cast<double>(requests.in_flight()));
}

void write_gauge(PrometheusText& out, std::string_view name, std::string_view help, double value) {
  out.family(name, "gauge", help);
  out.sample(name, {}, value);
}

void write_counter(PrometheusText& out, std::string_view name, std::string_view help,
                   const std::atomic<std::uint64_t>& value) {
  out.family(name, "counter", help);
  out.sample(name, {}, static_cast<double>(value.load(std::memory_order_relaxed)));
}

void write_security(PrometheusText& out, const SecurityCounters& c) {
  write_counter(out, "gatehouse_failed_logins_total",
                "Logins refused for a wrong password, an unknown email or an inactive user",
                c.failed_logins);
  out.family("gatehouse_rate_limit_rejections_total", "counter",
             "Requests answered 429: per-address request limit or per-account login throttle");
  out.sample("gatehouse_rate_limit_rejections_total", {{"limiter", "requests"}},
             static_cast<double>(c.rate_limited.load(std::memory_order_relaxed)));
  out.sample("gatehouse_rate_limit_rejections_total", {{"limiter", "login"}},
             static_cast<double>(c.login_throttled.load(std::memory_order_relaxed)));
  out.family("gatehouse_session_revocations_total", "counter",
             "Session revocations, by reason (logout_all and password_change may end several "
             "sessions at once)");
  for (std::size_t i = 0; i < kRevokeReasons.size(); ++i) {
    out.sample("gatehouse_session_revocations_total", {{"reason", kRevokeReasons[i]}},
               static_cast<double>(c.revocations[i].load(std::memory_order_relaxed)));
  }
  write_counter(out, "gatehouse_refresh_token_reuse_total",
                "Already-rotated refresh tokens presented again (their session is revoked)",
                c.refresh_reuse);
}

void write_session_purge(PrometheusText& out, const PurgeStats& purge) {
  write_counter(out, "gatehouse_sessions_purged_total",
                "Ended sessions (and expired MFA login challenges) deleted by the background "
                "purge (SESSION_RETENTION_DAYS)",
                purge.purged);
  write_gauge(out, "gatehouse_session_purge_last_success_timestamp_seconds",
              "When the session purge last finished a run, Unix time; 0 before the first "
              "(or with the purge off)",
              static_cast<double>(purge.last_success_seconds.load(std::memory_order_relaxed)));
}

void write_audit(PrometheusText& out, const services::AuditStats& audit,
                 const services::AuditQueue* queue) {
  out.family("gatehouse_audit_events_total", "counter",
             "Audit events recorded, by type and outcome (API.md, Audit log)");
  for (std::size_t t = 0; t < models::kAuditTypeCount; ++t) {
    for (std::size_t o = 0; o < 2; ++o) {
      const auto outcome = o == 0 ? models::AuditOutcome::success : models::AuditOutcome::failure;
      out.sample("gatehouse_audit_events_total",
                 {{"type", models::kAuditTypeNames[t]}, {"outcome", models::outcome_name(outcome)}},
                 static_cast<double>(audit.events[t][o].load(std::memory_order_relaxed)));
    }
  }
  write_counter(out, "gatehouse_audit_dropped_total",
                "Failure events not stored: the writer's queue was full or the database refused "
                "the batch (each is still in the log)",
                audit.dropped);
  write_counter(out, "gatehouse_audit_unrecorded_tokens_total",
                "Refresh and logout tokens refused as not ours (bad signature, expired): counted "
                "here instead of recorded, so no one fills the audit log without an account",
                audit.junk_tokens);
  if (queue)
    write_gauge(out, "gatehouse_audit_queue_depth", "Failure events waiting for the audit writer",
                static_cast<double>(queue->size()));
}

void write_audit_purge(PrometheusText& out, const PurgeStats& purge) {
  write_counter(out, "gatehouse_audit_events_purged_total",
                "Audit events deleted by the background purge (AUDIT_RETENTION_DAYS)",
                purge.purged);
  write_gauge(out, "gatehouse_audit_purge_last_success_timestamp_seconds",
              "When the audit purge last finished a run, Unix time; 0 before the first "
              "(or with the purge off)",
              static_cast<double>(purge.last_success_seconds.load(std::memory_order_relaxed)));
}

// This instance's view of the table, as of its last refresh (KEYS_REFRESH_SECONDS).
void write_signing_keys(PrometheusText& out, const services::KeyRing& ring) {
  const auto keys = ring.current();
  out.family("gatehouse_signing_keys", "gauge",
             "Signing keys by state, as this instance last read them (an alert: active != 1 in "
             "the EdDSA and ES256 modes)");
  for (std::size_t i = 0; i < models::kKeyStateNames.size(); ++i)
    out.sample("gatehouse_signing_keys", {{"state", models::kKeyStateNames[i]}},
               static_cast<double>(keys->counts[i]));
}

void write_mail(PrometheusText& out, const services::MailStats& mail, const PurgeStats* purge) {
  if (mail.counted.load(std::memory_order_relaxed)) {
    out.family("gatehouse_mail_outbox", "gauge",
               "Mails in the outbox by state, as the worker last counted them (queued: "
               "waiting or being sent)");
    for (std::size_t i = 0; i < models::kMailStateNames.size(); ++i)
      out.sample("gatehouse_mail_outbox", {{"state", models::kMailStateNames[i]}},
                 static_cast<double>(mail.outbox[i].load(std::memory_order_relaxed)));
  }
  write_counter(out, "gatehouse_mail_sent_total", "Mails the mail server took", mail.sent);
  write_counter(out, "gatehouse_mail_retried_total",
                "Sending attempts that failed for now (the mail is tried again)", mail.retried);
  write_counter(out, "gatehouse_mail_failed_total",
                "Mails given up: refused by the server, or past MAIL_RETRY_HOURS", mail.failed);
  write_counter(out, "gatehouse_mail_skipped_total",
                "Mails not sent: no active account at the address, or the per-account limit",
                mail.skipped);
  if (purge)
    write_counter(out, "gatehouse_mail_purged_total",
                  "Finished mails and expired link tokens deleted by the background purge",
                  purge->purged);
}

}  // namespace

std::string metrics_text(const MetricsSources& s) {
  PrometheusText out;
  write_requests(out, s.requests);
  auto pool = s.database.pool_stats();
  write_gauge(out, "gatehouse_db_pool_in_use", "Database connections running a statement",
              static_cast<double>(pool.in_use));
  write_gauge(out, "gatehouse_db_pool_idle", "Database connections open and idle",
              static_cast<double>(pool.idle));
  write_gauge(out, "gatehouse_db_pool_waiting", "Statements waiting for a database connection",
              static_cast<double>(pool.waiting));
  write_gauge(out, "gatehouse_password_hash_queue_depth",
              "Password hashes admitted and not finished (queued or running)",
              static_cast<double>(s.password_hash_queue_depth()));
  out.family("gatehouse_password_verifications_total", "counter",
             "Password checks run, the dummy ones for unknown emails included");
  out.sample("gatehouse_password_verifications_total", {},
             static_cast<double>(s.password_verifications()));
  if (s.redis_available) {
    write_gauge(out, "gatehouse_redis_up",
                "1 while Redis answers; 0 while the limits fall back to each process",
                s.redis_available() ? 1.0 : 0.0);
  }
  write_security(out, s.security);
  if (s.session_purge) write_session_purge(out, *s.session_purge);
  if (s.audit) write_audit(out, *s.audit, s.audit_queue);
  if (s.audit_purge) write_audit_purge(out, *s.audit_purge);
  if (s.keys) write_signing_keys(out, *s.keys);
  if (s.mail) write_mail(out, *s.mail, s.mail_purge);
  out.family("gatehouse_build_info", "gauge", "Always 1; the labels describe the build");
  out.sample("gatehouse_build_info",
             {{"version", s.version},
              {"database", s.database.dialect() == db::Dialect::postgres ? "postgres" : "sqlite"}},
             1);
  return out.take();
}

std::vector<http::Route> metrics_routes(MetricsSources sources) {
  auto s = std::make_shared<const MetricsSources>(std::move(sources));
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/metrics",
                    .tag = http::Tag::monitoring,
                    .summary = "Metrics in the Prometheus text format",
                    .response_schema = "PrometheusText",
                    .handler = [s](http::Request&) -> awaitable<http::Response> {
                      http::Response res{http::bhttp::status::ok, 11};
                      res.set(http::bhttp::field::content_type, PrometheusText::kContentType);
                      res.body() = metrics_text(*s);
                      res.prepare_payload();
                      co_return res;
                    }});
  return routes;
}

}  // namespace gh::routers
