#include "db/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <atomic>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/offload.hpp"
#include "db/sqlite/connection.hpp"
#include "db/sqlite/point_read.hpp"
#include "db/sqlite/transaction.hpp"

namespace gh::db {
namespace {

std::atomic<std::uint64_t> next_database_id{1};

// Every connection to ":memory:" (or "") opens its own empty database, so all work must
// share one connection, hence one thread.
bool is_private_memory(const std::string& path) {
  return path.empty() || path == ":memory:";
}

unsigned thread_count(const SqliteOptions& options) {
  return is_private_memory(options.path) ? 1U : std::max(options.threads, 1U);
}

// The answer for each statement text, worked out once per thread (texts are constants).
bool cached_point_read(std::string_view sql) {
  thread_local std::unordered_map<const char*, bool> known;
  auto [it, fresh] = known.try_emplace(sql.data(), false);
  if (fresh) it->second = sqlite::is_point_read(sql);
  return it->second;
}

}  // namespace

SqliteDatabase::SqliteDatabase(const SqliteOptions& options)
    : options_(options),
      id_(next_database_id++),
      spare_(sqlite::Connection::open(options.path, options.busy_timeout_ms)),
      pool_(thread_count(options)) {}

SqliteDatabase::~SqliteDatabase() {
  // join, not the pool's own stop-then-join: queued queries finish and resume their callers.
  pool_.join();
}

template <class F>
auto SqliteDatabase::on_worker(F fn) {
  queued_.fetch_add(1, std::memory_order_relaxed);
  return gh::offload(pool_.get_executor(), [this, fn = std::move(fn)]() mutable {
    queued_.fetch_sub(1, std::memory_order_relaxed);
    busy_.fetch_add(1, std::memory_order_relaxed);
    struct Done {
      std::atomic<std::int64_t>& busy;
      ~Done() { busy.fetch_sub(1, std::memory_order_relaxed); }
    } done{busy_};
    return fn(connection());
  });
}

PoolStats SqliteDatabase::pool_stats() const noexcept {
  auto busy = busy_.load(std::memory_order_relaxed);
  auto threads = static_cast<std::int64_t>(thread_count(options_));
  return {busy, std::max<std::int64_t>(threads - busy, 0),
          std::max<std::int64_t>(queued_.load(std::memory_order_relaxed), 0)};
}

sqlite::Connection& SqliteDatabase::connection() {
  // Pool threads belong to this database alone, but the id check keeps the cache honest
  // for any thread that ever served another one.
  thread_local std::uint64_t cached_owner = 0;
  thread_local std::uint64_t cached_schema = 0;
  thread_local sqlite::Connection* cached = nullptr;
  const std::uint64_t schema = schema_changes_.load(std::memory_order_acquire);
  if (cached_owner == id_ && cached_schema == schema) return *cached;
  std::lock_guard lock{mutex_};
  auto& slot = connections_[std::this_thread::get_id()];
  if (slot.connection && slot.schema != schema && !is_private_memory(options_.path))
    slot.connection.reset();
  if (!slot.connection) {
    slot.connection = spare_ ? std::move(spare_)
                             : sqlite::Connection::open(options_.path, options_.busy_timeout_ms);
  }
  slot.schema = schema;
  cached_owner = id_;
  cached_schema = schema;
  cached = slot.connection.get();
  return *slot.connection;
}

// execute, execute_in_transaction and execute_script are deliberately not coroutines:
// GCC 12 mishandles closures that live in a coroutine frame (the captured vectors end up
// owned twice). Here the closure goes straight to offload, an ordinary function.
boost::asio::awaitable<Result> SqliteDatabase::execute(const Query& query,
                                                       std::vector<Value> params) {
  // Point reads run on the calling io thread, on its own connection. In WAL mode a reader
  // takes no lock a writer holds, so it does not wait for one, and a read by key costs a
  // few microseconds: less than the two thread hops of the pool (about 7 us a request,
  // see bench/README.md). Writes, which may wait for the write lock, and scans, whose cost
  // grows with the table, go to the pool. A private ":memory:" database has one connection.
  if (!is_private_memory(options_.path) && cached_point_read(query.sql))
    return read_here(query, std::move(params));
  return on_worker([&query, params = std::move(params)](sqlite::Connection& c) {
    return c.execute(query, params);
  });
}

boost::asio::awaitable<Result> SqliteDatabase::read_here(const Query& query,
                                                         std::vector<Value> params) {
  co_return connection().execute(query, params);
}

boost::asio::awaitable<std::vector<Result>> SqliteDatabase::execute_in_transaction(
    std::vector<Statement> statements) {
  namespace asio = boost::asio;
  // As in offload: the statements cross into Asio's machinery behind a shared_ptr, and the
  // caller resumes on its own executor.
  auto initiation = [this](auto handler, std::shared_ptr<std::vector<Statement>> statements) {
    auto home = std::make_shared<decltype(handler)>(std::move(handler));
    enqueue({std::move(*statements), [home](std::exception_ptr error, std::vector<Result> out) {
               detail::complete_at_home(std::move(*home), std::move(error), std::move(out));
             }});
  };
  return asio::async_initiate<const asio::use_awaitable_t<>,
                              void(std::exception_ptr, std::vector<Result>)>(
      std::move(initiation), asio::use_awaitable,
      std::make_shared<std::vector<Statement>>(std::move(statements)));
}

void SqliteDatabase::enqueue(sqlite::PendingTransaction transaction) {
  queued_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock{write_mutex_};
    waiting_.push_back(std::move(transaction));
    if (draining_) return;
    draining_ = true;
  }
  boost::asio::post(pool_, [this] { drain(); });
}

void SqliteDatabase::drain() {
  for (;;) {
    std::vector<sqlite::PendingTransaction> batch;
    {
      std::lock_guard lock{write_mutex_};
      if (waiting_.empty()) {
        draining_ = false;
        return;
      }
      const auto n = std::min(waiting_.size(), sqlite::kMaxGroupCommit);
      batch.assign(std::make_move_iterator(waiting_.begin()),
                   std::make_move_iterator(waiting_.begin() + static_cast<std::ptrdiff_t>(n)));
      waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    queued_.fetch_sub(static_cast<std::int64_t>(batch.size()), std::memory_order_relaxed);
    busy_.fetch_add(1, std::memory_order_relaxed);
    try {
      sqlite::commit_together(connection(), batch);
    } catch (...) {  // the connection did not open: commit_together never ran
      for (auto& t : batch) t.done(std::current_exception(), {});
    }
    busy_.fetch_sub(1, std::memory_order_relaxed);
  }
}

boost::asio::awaitable<void> SqliteDatabase::execute_script(std::string script,
                                                            std::vector<Statement> then) {
  return on_worker(
      [this, script = std::move(script), then = std::move(then)](sqlite::Connection& c) {
        sqlite::Transaction transaction{c};
        c.execute_script(script);
        for (const Statement& s : then) c.execute(*s.query, s.params);
        transaction.commit();
        schema_changes_.fetch_add(1, std::memory_order_release);
      });
}

boost::asio::awaitable<bool> SqliteDatabase::ping() {
  try {
    // A few pages read, as a point read does: it runs where those run (see execute).
    if (is_private_memory(options_.path)) {
      co_await on_worker(
          [every = options_.deep_probe_every](sqlite::Connection& c) { c.probe(every); });
    } else {
      connection().probe(options_.deep_probe_every);
    }
    co_return true;
  } catch (const DbError&) {
    co_return false;
  }
}

std::unique_ptr<Database> open_sqlite(const SqliteOptions& options) {
  return std::make_unique<SqliteDatabase>(options);
}

}  // namespace gh::db
