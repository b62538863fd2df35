#pragma once
// The PostgreSQL backend: asynchronous libpq on the caller's own io_context, one pool of
// connections per io_context (see pool.hpp and docs/architecture.md for why per thread).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "db/database.hpp"

namespace gh::db {

namespace postgres {
class Connection;
class Pool;
struct PoolOptions;
}  // namespace postgres

struct PostgresOptions {
  std::string conninfo;  // libpq URI: postgresql://user:pass@host:port/db
  // Totals for the process (DB_POOL_SIZE, DB_MAX_OVERFLOW), split evenly between the
  // io threads' pools, at least one kept connection each.
  int pool_size = 20;
  int max_overflow = 10;
  int recycle_seconds = 300;  // DB_POOL_RECYCLE_SECONDS; zero or less: never
  bool pre_ping = true;       // DB_POOL_PRE_PING
  unsigned io_threads = 1;
  // How long a request waits for a free connection, then DbError(unavailable) (503).
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds connect_timeout{5000};
  // An overflow connection idle this long is closed (kept until then: see pool.hpp).
  std::chrono::milliseconds spare_idle{30000};
  // A statement or transaction still unanswered after this is abandoned (503) and its
  // connection closed, so a stalled server cannot hold requests forever. The server gets
  // a limit per statement a second longer (statement_timeout), so an abandoned statement
  // does not run on there to its end.
  std::chrono::milliseconds query_timeout{10000};
  // A migration script, and each of its statements on the server, gets this long instead:
  // an index built on a large table can take minutes.
  std::chrono::milliseconds migration_timeout{3'600'000};
  // /health answers within a second even when the server does not.
  std::chrono::milliseconds ping_timeout{750};
};

class PostgresDatabase final : public Database {
 public:
  // Connects lazily: the first statement on each io_context opens its pool's first
  // connection.
  explicit PostgresDatabase(const PostgresOptions& options);

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  // Must be awaited on an io_context run by one thread (each gatehouse io thread has
  // its own); the statement runs on that thread's pool and resumes there.
  boost::asio::awaitable<Result> execute(const Query& query, std::vector<Value> params) override;
  // BEGIN ... COMMIT on one connection, READ COMMITTED; ROLLBACK on any error.
  boost::asio::awaitable<std::vector<Result>> execute_in_transaction(
      std::vector<Statement> statements) override;
  boost::asio::awaitable<void> execute_script(std::string script,
                                              std::vector<Statement> then) override;
  // Concurrent pings on one io thread share one round trip (see shared_probe.hpp).
  boost::asio::awaitable<bool> ping() override;
  // Summed over every io thread's pool.
  PoolStats pool_stats() const noexcept override;

 private:
  boost::asio::awaitable<postgres::Pool*> pool();
  // One statement: a read-only one down the pool's pipeline when it has one, any other on
  // a leased connection. The statement's deadline is query_timeout, and at most answer_by.
  boost::asio::awaitable<Result> single(postgres::Pool& pool, const Query& query,
                                        const std::vector<Value>& params,
                                        std::chrono::steady_clock::time_point acquire_by,
                                        std::chrono::steady_clock::time_point answer_by);
  std::chrono::steady_clock::time_point statement_deadline(
      std::chrono::steady_clock::time_point answer_by) const;
  boost::asio::awaitable<std::vector<Result>> transaction(std::string script,
                                                          std::vector<Statement> statements);
  // The script and then the statements, in the transaction `connection` is in.
  boost::asio::awaitable<void> migrate(postgres::Connection& connection, std::string script,
                                       const std::vector<Statement>& then,
                                       std::chrono::steady_clock::time_point deadline);

  PostgresOptions options_;
  std::shared_ptr<const postgres::PoolOptions> pool_options_;  // each io thread's share
  const std::uint64_t id_;  // keys this database's pool in each io_context
};

std::unique_ptr<Database> open_postgres(const PostgresOptions& options);

}  // namespace gh::db
