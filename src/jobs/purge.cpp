#include "jobs/purge.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <utility>

#include "core/log.hpp"

namespace gh::jobs {
namespace asio = boost::asio;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

Purge::Purge(std::string name, PurgeBatch batch, const Clock& clock, PurgeOptions options,
             PurgeStats& stats)
    : name_(std::move(name)),
      batch_(std::move(batch)),
      clock_(clock),
      options_(options),
      stats_(stats) {}

Purge::~Purge() {
  stop();
}

void Purge::start() {
  job_.start([this] { return loop(); });
}

void Purge::stop() {
  job_.stop();
}

asio::awaitable<std::int64_t> Purge::run_once() {
  const std::int64_t cutoff = clock_.now_micros() - options_.retention_micros;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  std::int64_t total = 0;
  for (;;) {
    const std::int64_t purged = co_await batch_(cutoff, options_.batch);
    total += purged;
    stats_.purged.fetch_add(static_cast<std::uint64_t>(purged), std::memory_order_relaxed);
    if (purged < options_.batch || job_.stopping()) break;
    // Between batches the database is the requests' alone for a moment (on SQLite, the
    // write lock; on PostgreSQL, the locks and the I/O).
    pause.expires_after(options_.pause);
    co_await pause.async_wait(use_tuple);
  }
  if (!job_.stopping())
    stats_.last_success_seconds.store(clock_.now_seconds(), std::memory_order_relaxed);
  co_return total;
}

asio::awaitable<void> Purge::loop() {
  while (!job_.stopping()) {
    job_.timer().expires_after(options_.interval);
    co_await job_.timer().async_wait(use_tuple);
    if (job_.stopping()) break;
    try {
      const std::int64_t purged = co_await run_once();
      if (purged > 0)
        log::info("purged",
                  {{"table", std::string_view(name_)}, {"count", static_cast<long long>(purged)}});
    } catch (const std::exception& e) {
      // The database is away: the next run tries again, and /metrics shows the last success.
      log::warn("purge_failed",
                {{"table", std::string_view(name_)}, {"error", std::string_view(e.what())}});
    }
  }
}

}  // namespace gh::jobs
