#include "jobs/mail_worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "core/log.hpp"

namespace gh::jobs {
namespace asio = boost::asio;
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Mails leased per claim: few, so a lease never waits long behind the others' SMTP exchanges.
constexpr int kBatch = 5;
constexpr auto kCountEvery = std::chrono::seconds(10);

}  // namespace

void MailWorker::start() {
  job_.start([this] { return loop(); });
}

asio::awaitable<int> MailWorker::run_once() {
  int total = 0;
  for (;;) {
    const int taken = co_await delivery_.run_once(kBatch);
    total += taken;
    if (taken < kBatch || job_.stopping()) break;
  }
  co_return total;
}

asio::awaitable<void> MailWorker::count() {
  const auto counts = co_await outbox_.count_by_state();
  for (std::size_t i = 0; i < counts.size(); ++i)
    stats_.outbox[i].store(counts[i], std::memory_order_relaxed);
  stats_.counted.store(true, std::memory_order_relaxed);
}

asio::awaitable<void> MailWorker::loop() {
  bool failing = false;  // said once when it starts failing, and once when it recovers
  auto next_count = std::chrono::steady_clock::now();
  while (!job_.stopping()) {
    try {
      co_await run_once();
      if (std::chrono::steady_clock::now() >= next_count) {
        co_await count();
        next_count = std::chrono::steady_clock::now() + kCountEvery;
      }
      if (failing) log::info("mail_worker_recovered");
      failing = false;
    } catch (const std::exception& e) {
      if (!failing) log::warn("mail_worker_failed", {{"error", std::string_view(e.what())}});
      failing = true;
    }
    job_.timer().expires_after(poll_);
    co_await job_.timer().async_wait(use_tuple);
  }
}

}  // namespace gh::jobs
