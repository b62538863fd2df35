#pragma once
// Writes the audit log's failure events (services/audit_log.hpp) in batches: a transaction
// of up to `batch` events whenever the queue holds some, at most every `interval`. It runs on
// a thread of its own, so a login that fails only queues its event. Stopping writes what
// is queued. A batch the database refuses is dropped and counted (AuditStats::dropped): the
// queue must stay bounded while the database is away.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>

#include "db/audit_repository.hpp"
#include "jobs/job_thread.hpp"
#include "services/audit_log.hpp"

namespace gh::jobs {

struct AuditWriterOptions {
  std::size_t batch = 500;
  std::chrono::milliseconds interval{100};
};

class AuditWriter {
 public:
  // `db` must outlive this; on PostgreSQL, one of the writer's own (see App::serve).
  AuditWriter(db::Database& db, services::AuditQueue& queue, services::AuditStats& stats,
              AuditWriterOptions options = {});
  ~AuditWriter();  // stops
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  void start();
  // Writes what is queued, then ends the thread.
  void stop();
  // Writes one batch on the caller's executor; how many events it took.
  boost::asio::awaitable<std::size_t> write_batch();

 private:
  boost::asio::awaitable<void> loop();

  db::AuditRepository events_;
  services::AuditQueue& queue_;
  services::AuditStats& stats_;
  AuditWriterOptions options_;
  JobThread job_;  // last: stopped before the members its coroutine uses go
};

}  // namespace gh::jobs
