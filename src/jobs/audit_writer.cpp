#include "jobs/audit_writer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "core/log.hpp"

namespace gh::jobs {
namespace asio = boost::asio;

AuditWriter::AuditWriter(db::Database& db, services::AuditQueue& queue, services::AuditStats& stats,
                         AuditWriterOptions options)
    : events_(db), queue_(queue), stats_(stats), options_(options) {}

AuditWriter::~AuditWriter() {
  stop();
}

void AuditWriter::start() {
  job_.start([this] { return loop(); });
}

void AuditWriter::stop() {
  job_.stop();
}

asio::awaitable<std::size_t> AuditWriter::write_batch() {
  auto batch = queue_.take(options_.batch);
  if (batch.empty()) co_return 0;
  try {
    co_await events_.insert_all(batch);
  } catch (const std::exception& e) {
    stats_.dropped.fetch_add(batch.size(), std::memory_order_relaxed);
    log::warn("audit_write_failed", {{"events", static_cast<long long>(batch.size())},
                                     {"error", std::string_view(e.what())}});
  }
  co_return batch.size();
}

asio::awaitable<void> AuditWriter::loop() {
  for (;;) {
    const std::size_t written = co_await write_batch();
    if (job_.stopping() && written == 0) break;
    if (written == options_.batch) continue;  // more may be waiting
    if (job_.stopping()) continue;            // drain what is left
    job_.timer().expires_after(options_.interval);
    co_await job_.timer().async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace gh::jobs
