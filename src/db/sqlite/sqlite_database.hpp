#pragma once
// The SQLite backend: writes and scans on a private thread pool, point reads (a few rows by
// key, microseconds in WAL mode) on the calling io thread; one connection per thread.
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"
#include "db/sqlite/group_commit.hpp"

namespace gh::db {

namespace sqlite {
class Connection;
}

struct SqliteOptions {
  std::string path;  // a file, or ":memory:" (then one thread, one connection)
  unsigned threads = 2;
  int busy_timeout_ms = 5000;
  // How often ping() reads the tables' first pages from the disk (Connection::probe); the
  // header is read at every ping. Zero: every time.
  std::chrono::milliseconds deep_probe_every{1000};
};

class SqliteDatabase final : public Database {
 public:
  // Opens the first connection here, so a bad path fails at start: DbError(unavailable).
  explicit SqliteDatabase(const SqliteOptions& options);
  // Waits for queued work, then closes every connection.
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  boost::asio::awaitable<Result> execute(const Query& query, std::vector<Value> params) override;
  boost::asio::awaitable<std::vector<Result>> execute_in_transaction(
      std::vector<Statement> statements) override;
  boost::asio::awaitable<void> execute_script(std::string script,
                                              std::vector<Statement> then) override;
  // True when the file reads back as a database (sqlite::Connection::probe).
  boost::asio::awaitable<bool> ping() override;
  // Worker threads (one connection each) running a statement or idle, and statements
  // queued for a worker.
  PoolStats pool_stats() const noexcept override;

 private:
  template <class F>
  auto on_worker(F fn);
  // Queues a transaction for the group commit, and starts a drain when none runs.
  void enqueue(sqlite::PendingTransaction transaction);
  // On a pool thread: commits the queue's transactions, a batch at a time, until it is empty.
  void drain();
  // A point read, on the calling thread (see execute).
  boost::asio::awaitable<Result> read_here(const Query& query, std::vector<Value> params);
  // The calling thread's connection, opened on first use, and opened again after a
  // migration ran on any connection (see schema_changes_).
  sqlite::Connection& connection();

  SqliteOptions options_;
  const std::uint64_t id_;  // never reused, unlike addresses: tags thread-local lookups
  std::mutex mutex_;
  std::unique_ptr<sqlite::Connection> spare_;  // opened by the constructor, taken by a worker
  struct Slot {
    std::unique_ptr<sqlite::Connection> connection;
    std::uint64_t schema = 0;  // schema_changes_ when it was opened
  };
  std::unordered_map<std::thread::id, Slot> connections_;
  // Scripts (migrations) committed through this database. A connection that was open before
  // one could keep preparing against the schema it had read: seen with a pool of four, a
  // worker's "no such table" for a table the migration had just made. Such a connection is
  // replaced before its next statement.
  std::atomic<std::uint64_t> schema_changes_{0};
  std::mutex write_mutex_;  // guards the two below
  std::vector<sqlite::PendingTransaction> waiting_;
  bool draining_ = false;
  std::atomic<std::int64_t> queued_{0};
  std::atomic<std::int64_t> busy_{0};
  boost::asio::thread_pool pool_;
};

// DbError(unavailable) when the file cannot be opened.
std::unique_ptr<Database> open_sqlite(const SqliteOptions& options);

}  // namespace gh::db
