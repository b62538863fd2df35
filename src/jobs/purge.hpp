#pragma once
// A background purge of a table that grows with traffic (API.md, part two): every
// `interval`, rows older than the retention (sessions ended, audit events) are deleted, a
// small batch per statement with a pause between batches, so no write lock or transaction
// is held for long. It runs on
// a thread of its own, never on an io thread, and so never delays a request but through the
// database it shares with them.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/purge_stats.hpp"
#include "jobs/job_thread.hpp"

namespace gh::jobs {

// Deletes at most `limit` rows older than `cutoff` (microseconds since the epoch), oldest
// first; returns how many. Fewer than `limit`: nothing is left to delete.
using PurgeBatch =
    std::function<boost::asio::awaitable<std::int64_t>(std::int64_t cutoff, std::int64_t limit)>;

struct PurgeOptions {
  std::chrono::seconds interval{300};  // between runs (…_PURGE_INTERVAL_SECONDS)
  std::int64_t retention_micros = 30LL * 86'400'000'000;  // …_RETENTION_DAYS
  std::int64_t batch = 1000;                              // rows per statement at most
  std::chrono::milliseconds pause{100};                   // between two batches of a run
};

class Purge {
 public:
  // `name` names the purge's log lines ("sessions", "audit_events"). `batch` runs on the
  // purge's own thread; on PostgreSQL, through a database of its own (see App::serve).
  Purge(std::string name, PurgeBatch batch, const Clock& clock, PurgeOptions options,
        PurgeStats& stats);
  ~Purge();  // stops
  Purge(const Purge&) = delete;
  Purge& operator=(const Purge&) = delete;

  // Starts the thread: a run every interval (the first one interval after the start).
  void start();
  // Ends the thread: a run in progress stops after its current batch.
  void stop();

  // One run on the caller's executor: batches until one comes back short. Returns how many
  // rows it deleted. Throws DbError.
  boost::asio::awaitable<std::int64_t> run_once();

 private:
  boost::asio::awaitable<void> loop();

  std::string name_;
  PurgeBatch batch_;
  const Clock& clock_;
  PurgeOptions options_;
  PurgeStats& stats_;
  JobThread job_;  // last: stopped before the members its coroutine uses go
};

}  // namespace gh::jobs
