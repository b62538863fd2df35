#include "db/postgres/postgres_database.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>

#include "db/postgres/batched_transaction.hpp"
#include "db/postgres/pool_registry.hpp"

namespace gh::db {
namespace asio = boost::asio;
using postgres::Clock;

namespace {

constexpr Query kPing{.name = "postgres_ping", .sql = "SELECT 1", .read_only = true};

std::atomic<std::uint64_t> next_database_id{1};

std::size_t share(int total, unsigned parts, std::size_t at_least) {
  const auto n = static_cast<std::size_t>(std::max(total, 0));
  const std::size_t p = std::max(parts, 1U);
  return std::max((n + p - 1) / p, at_least);
}

// A second past gatehouse's own deadline: gatehouse always gives up first, and decides
// alone what a statement past its deadline does to its connection (see pipeline.hpp).
std::chrono::milliseconds server_statement_timeout(std::chrono::milliseconds query_timeout) {
  return query_timeout + std::chrono::seconds{1};
}

postgres::PoolOptions pool_options(const PostgresOptions& o) {
  return postgres::PoolOptions{.conninfo = o.conninfo,
                               .size = share(o.pool_size, o.io_threads, 1),
                               .overflow = share(o.max_overflow, o.io_threads, 0),
                               .recycle = std::chrono::seconds{o.recycle_seconds},
                               .pre_ping = o.pre_ping,
                               .connect_timeout = o.connect_timeout,
                               .statement_timeout = server_statement_timeout(o.query_timeout),
                               .pipeline_stall_limit = o.query_timeout,
                               .spare_idle = o.spare_idle,
                               .gauges = std::make_shared<postgres::PoolGauges>()};
}

}  // namespace

PostgresDatabase::PostgresDatabase(const PostgresOptions& options)
    : options_(options),
      pool_options_(std::make_shared<postgres::PoolOptions>(pool_options(options))),
      id_(next_database_id++) {}

asio::awaitable<postgres::Pool*> PostgresDatabase::pool() {
  const auto executor = co_await asio::this_coro::executor;
  auto& context = asio::query(executor, asio::execution::context);
  co_return &asio::use_service<postgres::PoolRegistry>(context).pool(id_, *pool_options_);
}

PoolStats PostgresDatabase::pool_stats() const noexcept {
  const auto& g = *pool_options_->gauges;
  return {g.in_use.load(std::memory_order_relaxed), g.idle.load(std::memory_order_relaxed),
          g.waiting.load(std::memory_order_relaxed)};
}

asio::awaitable<Result> PostgresDatabase::execute(const Query& query, std::vector<Value> params) {
  postgres::Pool* pool = co_await this->pool();
  co_return co_await single(*pool, query, params, Clock::now() + options_.acquire_timeout,
                            Clock::time_point::max());
}

asio::awaitable<Result> PostgresDatabase::single(postgres::Pool& pool, const Query& query,
                                                 const std::vector<Value>& params,
                                                 Clock::time_point acquire_by,
                                                 Clock::time_point answer_by) {
  if (query.read_only) {
    if (const auto pipeline = co_await pool.pipeline(acquire_by)) {
      co_return co_await pipeline->execute(query, params, statement_deadline(answer_by));
    }
  }
  auto lease = co_await pool.acquire(acquire_by);
  co_return co_await lease->execute(query, params, statement_deadline(answer_by));
}

Clock::time_point PostgresDatabase::statement_deadline(Clock::time_point answer_by) const {
  return std::min(answer_by, Clock::now() + options_.query_timeout);
}

asio::awaitable<std::vector<Result>> PostgresDatabase::transaction(
    std::string script, std::vector<Statement> statements) {
  postgres::Pool* pool = co_await this->pool();
  auto lease = co_await pool->acquire(Clock::now() + options_.acquire_timeout);
  const bool migration = !script.empty();
  const auto deadline =
      Clock::now() + (migration ? options_.migration_timeout : options_.query_timeout);
  std::vector<Result> results;
  std::exception_ptr error;
  try {
    if (migration) {
      co_await migrate(*lease, std::move(script), statements, deadline);
    } else {
      results = co_await postgres::run_batched(*lease, statements, deadline);
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (!error) co_return results;
  try {
    // The connection's deadline may be what failed; the rollback gets its own.
    co_await lease->execute_simple("ROLLBACK", Clock::now() + options_.ping_timeout);
  } catch (const DbError&) {
    // The lease sees the connection is not idle and closes it; the first error matters.
  }
  std::rethrow_exception(error);
}

asio::awaitable<void> PostgresDatabase::migrate(postgres::Connection& connection,
                                                std::string script,
                                                const std::vector<Statement>& then,
                                                Clock::time_point deadline) {
  // A script may hold many statements, which only the simple protocol takes, one at a time.
  co_await connection.execute_simple(
      "BEGIN; SET LOCAL statement_timeout = " + std::to_string(options_.migration_timeout.count()),
      deadline);
  co_await connection.execute_simple(std::move(script), deadline);
  std::vector<Result> results;
  for (const Statement& s : then) {
    results.push_back(runs(s, results) ? co_await connection.execute(*s.query, s.params, deadline)
                                       : Result{});
  }
  co_await connection.execute_simple("COMMIT", deadline);
}

asio::awaitable<std::vector<Result>> PostgresDatabase::execute_in_transaction(
    std::vector<Statement> statements) {
  co_return co_await transaction({}, std::move(statements));
}

asio::awaitable<void> PostgresDatabase::execute_script(std::string script,
                                                       std::vector<Statement> then) {
  co_await transaction(std::move(script), std::move(then));
}

asio::awaitable<bool> PostgresDatabase::ping() {
  postgres::Pool* pool = co_await this->pool();
  co_return co_await pool->health_probe().run([this, pool]() -> asio::awaitable<bool> {
    try {
      const auto deadline = Clock::now() + options_.ping_timeout;
      const Result result = co_await single(*pool, kPing, {}, deadline, deadline);
      co_return result.rows.size() == 1;
    } catch (const DbError&) {
      co_return false;
    }
  });
}

std::unique_ptr<Database> open_postgres(const PostgresOptions& options) {
  return std::make_unique<PostgresDatabase>(options);
}

}  // namespace gh::db
