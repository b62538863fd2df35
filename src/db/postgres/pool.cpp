#include "db/postgres/pool.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace gh::db::postgres {
namespace asio = boost::asio;

namespace {

// A connection used this recently has just proven itself; pinging it again would add a
// round trip to every request under load for nothing.
constexpr auto kPingAfterIdle = std::chrono::seconds{1};
constexpr auto kPingTimeout = std::chrono::milliseconds{1000};

}  // namespace

Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

Pool::~Pool() {
  // Waiters belong to coroutines that the io_context destroys with itself.
  idle_.clear();
  open_ = 0;
  waiters_.clear();
  publish();
}

void Pool::publish() {
  if (!options_.gauges) return;
  // A connection the fill is still opening is nobody's yet. The pipeline counts as idle
  // here; it moves itself to in use while statements are queued on it.
  const std::size_t idle_here = idle_.size() + (pipeline_ ? 1 : 0);
  const auto in_use = static_cast<std::int64_t>(open_ - std::min(open_, idle_here + warming_));
  const auto idle = static_cast<std::int64_t>(idle_here);
  const auto waiting = static_cast<std::int64_t>(waiters_.size());
  options_.gauges->in_use += in_use - published_in_use_;
  options_.gauges->idle += idle - published_idle_;
  options_.gauges->waiting += waiting - published_waiting_;
  published_in_use_ = in_use;
  published_idle_ = idle;
  published_waiting_ = waiting;
}

bool Pool::fit_for_use(Connection& connection) const {
  if (!connection.quiet_while_idle()) return false;
  if (options_.recycle.count() <= 0) return true;
  return Clock::now() - connection.opened_at() < options_.recycle;
}

asio::awaitable<std::unique_ptr<Connection>> Pool::take_idle() {
  while (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    publish();
    if (!fit_for_use(*connection)) {
      discard(std::move(connection));
      continue;
    }
    if (options_.pre_ping && Clock::now() - connection->last_used() > kPingAfterIdle) {
      try {
        co_await connection->execute_simple("", Clock::now() + kPingTimeout);
      } catch (const DbError&) {
        discard(std::move(connection));
        continue;
      }
    }
    co_return connection;
  }
  co_return nullptr;
}

asio::awaitable<std::unique_ptr<Connection>> Pool::open_one(Clock::time_point deadline) {
  ++open_;
  publish();
  try {
    co_return co_await Connection::open(options_.conninfo,
                                        std::min(deadline, Clock::now() + options_.connect_timeout),
                                        options_.statement_timeout);
  } catch (...) {
    --open_;
    wake_one();  // the slot it held is free again
    publish();
    throw;
  }
}

asio::awaitable<void> Pool::fill() {
  // One at a time: a burst of new server processes is what the fill spares the requests.
  while (!closed_ && open_ < options_.size) {
    ++warming_;
    std::unique_ptr<Connection> fresh;
    try {
      fresh = co_await open_one(Clock::time_point::max());
    } catch (...) {
      --warming_;
      publish();
      co_return;  // the server is unreachable: requests will say so, one by one
    }
    --warming_;
    give_back(std::move(fresh));
  }
}

asio::awaitable<void> Pool::start_filling() {
  if (filling_) co_return;
  filling_ = true;
  // Posted: this borrower takes its slot first, and the fill opens the others.
  const auto executor = co_await asio::this_coro::executor;
  asio::post(executor, [this, executor] { asio::co_spawn(executor, fill(), asio::detached); });
}

asio::awaitable<std::shared_ptr<Pipeline>> Pool::pipeline(Clock::time_point deadline) {
  // Checked like an idle connection whenever nothing is queued on it (one poll, no round
  // trip: a server that restarted or ended the session has said so on the socket).
  if (pipeline_) pipeline_->give_up_if_stalled();
  if (pipeline_ &&
      (pipeline_->failed() || (pipeline_->idle() && !fit_for_use(pipeline_->connection())))) {
    retire_pipeline();
  }
  if (pipeline_ || opening_pipeline_ || closed_) co_return pipeline_;
  const std::size_t slots = options_.size + options_.overflow;
  if (slots < 2 || open_ >= slots) co_return nullptr;
  co_await start_filling();
  opening_pipeline_ = true;
  bool connected = false;
  try {
    std::unique_ptr<Connection> connection = co_await open_one(deadline);
    connected = true;
    pipeline_ = co_await Pipeline::start(std::move(connection), options_.gauges,
                                         options_.pipeline_stall_limit, deadline);
  } catch (...) {
    opening_pipeline_ = false;
    // A failed connect gave its slot back in open_one; a refused pipeline mode has not.
    if (connected) discard(nullptr);
    throw;
  }
  opening_pipeline_ = false;
  publish();
  co_return pipeline_;
}

void Pool::retire_pipeline() {
  pipeline_.reset();  // a pump still running keeps it alive until its turns have failed
  discard(nullptr);
}

asio::awaitable<Lease> Pool::acquire(Clock::time_point deadline) {
  co_await start_filling();
  for (;;) {
    if (std::unique_ptr<Connection> idle = co_await take_idle())
      co_return Lease(*this, std::move(idle));
    if (open_ < options_.size + options_.overflow)
      co_return Lease(*this, co_await open_one(deadline));
    Waiter waiter{co_await asio::this_coro::executor};
    waiter.timer.expires_at(deadline);
    std::optional<Listed<Waiter>> queued(std::in_place, waiters_, waiter, waiter.woken);
    publish();
    boost::system::error_code ignored;
    co_await waiter.timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    queued.reset();
    publish();
    if (waiter.handed) co_return Lease(*this, std::move(waiter.handed));
    if (!waiter.woken || Clock::now() >= deadline) {
      throw DbError(DbError::Kind::unavailable, "no database connection free in time");
    }
  }
}

void Pool::close_idle() {
  closed_ = true;
  if (pipeline_) retire_pipeline();
  open_ -= idle_.size();
  idle_.clear();
  publish();
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  if (closed_) {
    connection.reset();
    --open_;
    publish();
    return;
  }
  if (!connection->reusable()) {
    // A connection that failed usually means the server went away: its idle siblings are
    // most likely dead too, and finding out one request at a time would fail each of them.
    for (auto& idle : idle_) discard(std::move(idle));
    idle_.clear();
    discard(std::move(connection));
    return;
  }
  if (!waiters_.empty()) {
    Waiter* waiter = waiters_.front();
    waiters_.pop_front();
    waiter->woken = true;
    waiter->handed = std::move(connection);
    waiter->timer.cancel();
    publish();
    return;
  }
  idle_.push_back(std::move(connection));
  retire_spares();
  publish();
}

void Pool::retire_spares() {
  // Taken from the back, the idle list's front is its least recently used: a spare there
  // has gone unneeded for the whole of spare_idle.
  const auto now = Clock::now();
  while (idle_.size() > options_.size && now - idle_.front()->last_used() > options_.spare_idle) {
    std::unique_ptr<Connection> spare = std::move(idle_.front());
    idle_.erase(idle_.begin());
    discard(std::move(spare));
  }
}

void Pool::discard(std::unique_ptr<Connection> connection) {
  connection.reset();
  --open_;
  wake_one();
  publish();
}

void Pool::wake_one() {
  if (waiters_.empty()) return;
  Waiter* waiter = waiters_.front();
  waiters_.pop_front();
  waiter->woken = true;
  waiter->timer.cancel();
}

}  // namespace gh::db::postgres
