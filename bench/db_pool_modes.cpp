// Which way should io threads share PostgreSQL connections? Runs the same prepared
// statement from many coroutines on two io threads for a few seconds, two ways:
//   per-thread: each io thread's coroutines use the pool of their own io_context (what
//               gatehouse does: no lock, no thread hop);
//   hand-off:   one driver thread owns the only pool; every statement is handed to it
//               and the coroutine resumes on its own io thread afterwards.
// Prints statements per second for each.
//   build/bench/db_pool_modes postgresql://user:pass@host:port/db [seconds] [coroutines]
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "db/params.hpp"
#include "db/postgres/postgres_database.hpp"

namespace asio = boost::asio;
using gh::db::Database;
using gh::db::Query;
using Clock = std::chrono::steady_clock;

namespace {

constexpr Query kStatement{"bench_add_one", "SELECT $1::bigint + 1"};
constexpr unsigned kIoThreads = 2;

asio::awaitable<void> loop(Database& db, asio::io_context* driver, Clock::time_point end,
                           std::atomic<long>& done) {
  for (std::int64_t i = 0; Clock::now() < end; ++i) {
    if (driver == nullptr) {
      co_await db.execute(kStatement, gh::db::params(i));
    } else {
      co_await asio::co_spawn(*driver, db.execute(kStatement, gh::db::params(i)),
                              asio::use_awaitable);
    }
    done.fetch_add(1, std::memory_order_relaxed);
  }
}

double run(const std::string& url, bool hand_off, int seconds, int coroutines) {
  const auto db = gh::db::open_postgres(
      {.conninfo = url, .pool_size = 20, .max_overflow = 0, .io_threads = kIoThreads});
  asio::io_context driver{1};
  auto guard = asio::make_work_guard(driver);
  std::thread driver_thread;
  if (hand_off) driver_thread = std::thread([&] { driver.run(); });

  std::atomic<long> done{0};
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds{seconds};
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kIoThreads; ++t) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    for (int c = 0; c < coroutines; ++c) {
      asio::co_spawn(*contexts.back(), loop(*db, hand_off ? &driver : nullptr, end, done),
                     asio::detached);
    }
    threads.emplace_back([&io = *contexts.back()] { io.run(); });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  guard.reset();
  if (driver_thread.joinable()) driver_thread.join();
  return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s POSTGRESQL_URL [seconds] [coroutines per io thread]\n",
                 argv[0]);
    return 2;
  }
  const int seconds = argc > 2 ? std::stoi(argv[2]) : 5;
  const int coroutines = argc > 3 ? std::stoi(argv[3]) : 16;
  for (const bool hand_off : {false, true, false, true}) {
    std::printf("%-10s %9.0f statements/s\n", hand_off ? "hand-off" : "per-thread",
                run(argv[1], hand_off, seconds, coroutines));
    std::fflush(stdout);
  }
  return 0;
}
