#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/purge_stats.hpp"
#include "core/request_metrics.hpp"
#include "core/security_counters.hpp"
#include "db/database.hpp"
#include "http/route.hpp"
#include "services/audit_log.hpp"
#include "services/key_ring.hpp"
#include "services/mail_stats.hpp"

namespace gh::routers {

// Where /metrics reads from; every reference must outlive the routes.
struct MetricsSources {
  const RequestMetrics& requests;
  const SecurityCounters& security;
  const db::Database& database;
  std::function<std::size_t()> password_hash_queue_depth;
  std::function<std::uint64_t()> password_verifications;
  std::string version;
  std::function<bool()> redis_available = {};  // empty without REDIS_URL
  const PurgeStats* session_purge = nullptr;
  const services::AuditStats* audit = nullptr;
  const services::AuditQueue* audit_queue = nullptr;
  const PurgeStats* audit_purge = nullptr;
  const services::KeyRing* keys = nullptr;
  const services::MailStats* mail = nullptr;
  const PurgeStats* mail_purge = nullptr;  // finished mail and spent or expired link tokens
};

// The Prometheus text exposition of everything above.
std::string metrics_text(const MetricsSources& sources);

// GET /metrics.
std::vector<http::Route> metrics_routes(MetricsSources sources);

}  // namespace gh::routers
