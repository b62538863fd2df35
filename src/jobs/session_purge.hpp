#pragma once
// The background purge of ended sessions (API.md, part two): every `interval`, sessions
// revoked or expired more than the retention ago are deleted, a small batch per statement
// with a pause between batches, so no write lock or transaction is held for long. It runs on
// a thread of its own, never on an io thread, and so never delays a request but through the
// database it shares with them.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/clock.hpp"
#include "core/purge_stats.hpp"
#include "db/database.hpp"
#include "db/session_repository.hpp"

namespace gh::jobs {

struct SessionPurgeOptions {
  std::chrono::seconds interval{300};  // between runs (SESSION_PURGE_INTERVAL_SECONDS)
  std::int64_t retention_micros = 30LL * 86'400'000'000;  // SESSION_RETENTION_DAYS
  std::int64_t batch = 1000;                              // rows per statement at most
  std::chrono::milliseconds pause{100};                   // between two batches of a run
};

class SessionPurge {
 public:
  // `db` must outlive this; on PostgreSQL, the statements run on a pool of the purge's own
  // thread (see App::serve).
  SessionPurge(db::Database& db, const Clock& clock, SessionPurgeOptions options,
               PurgeStats& stats);
  ~SessionPurge();  // stops
  SessionPurge(const SessionPurge&) = delete;
  SessionPurge& operator=(const SessionPurge&) = delete;

  // Starts the thread: a run every interval (the first one interval after the start).
  void start();
  // Ends the thread: a run in progress stops after its current batch.
  void stop();

  // One run on the caller's executor: batches until one comes back short. Returns how many
  // sessions it deleted. Throws DbError.
  boost::asio::awaitable<std::int64_t> run_once();

 private:
  boost::asio::awaitable<void> loop();

  db::SessionRepository sessions_;
  const Clock& clock_;
  SessionPurgeOptions options_;
  PurgeStats& stats_;
  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer timer_{ioc_};  // the wait between runs
  bool stopping_ = false;                  // read and written on the purge's thread only
  std::thread thread_;
};

}  // namespace gh::jobs
