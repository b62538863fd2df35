#include "jobs/key_refresh.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "core/log.hpp"

namespace gh::jobs {
namespace asio = boost::asio;

void KeyRefresh::start() {
  job_.start([this] { return loop(); });
}

asio::awaitable<bool> KeyRefresh::run_once() {
  const auto ticket = ring_.ticket();
  co_return ring_.install(co_await keys_.list(), ticket);
}

asio::awaitable<void> KeyRefresh::loop() {
  while (!job_.stopping()) {
    job_.timer().expires_after(interval_);
    co_await job_.timer().async_wait(asio::as_tuple(asio::use_awaitable));
    if (job_.stopping()) break;
    try {
      if (co_await run_once()) log::info("signing_keys_changed");
    } catch (const std::exception& e) {
      log::warn("signing_keys_refresh_failed", {{"error", std::string_view(e.what())}});
    }
  }
}

}  // namespace gh::jobs
