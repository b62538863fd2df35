#pragma once
// The connections of one io_context (one io thread). Every connection of a pool lives and
// is used on that thread only, so the pool needs no lock and a query never changes thread.
// SQLAlchemy's knobs, per pool: `size` connections kept open, up to `overflow` more opened
// under load, connections older than `recycle` replaced, and with `pre_ping` a connection
// idle for a while checked with a round trip before use. Unlike SQLAlchemy, an overflow
// connection is not closed the moment it is returned but once it has sat idle for
// `spare_idle`: under a load that hovers around `size`, closing at once meant opening a
// new server process (fork, authentication) for every burst, seconds of tail latency.
// A borrower waits at most until its deadline for a free connection, then gets
// DbError(unavailable). The first borrower also starts opening the kept connections in the
// background, one after the other, so that the first burst of requests after a start does
// not wait for a dozen server processes to fork and authenticate at once.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "db/postgres/connection.hpp"
#include "db/postgres/listed.hpp"
#include "db/postgres/pipeline.hpp"
#include "db/postgres/pool_gauges.hpp"
#include "db/postgres/shared_probe.hpp"

namespace gh::db::postgres {

struct PoolOptions {
  std::string conninfo;
  std::size_t size = 10;
  std::size_t overflow = 5;
  std::chrono::seconds recycle{300};  // zero or less: never
  bool pre_ping = true;
  std::chrono::milliseconds connect_timeout{5000};
  // The server's limit per statement on every connection (see Connection::open); zero:
  // the server's own setting.
  std::chrono::milliseconds statement_timeout{0};
  // The longest deadline a read may have: the pipeline is given up when statements are
  // queued on it and none is answered for this long (see pipeline.hpp).
  std::chrono::milliseconds pipeline_stall_limit{10000};
  std::chrono::milliseconds spare_idle{30000};  // an overflow connection idle this long closes
  std::shared_ptr<PoolGauges> gauges;           // may be null
};

class Pool;

// A borrowed connection; returns it to its pool when destroyed.
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> connection_;
};

class Pool {
 public:
  explicit Pool(PoolOptions options) : options_(std::move(options)) {}
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Must be awaited on this pool's io_context.
  boost::asio::awaitable<Lease> acquire(Clock::time_point deadline);

  // The pipeline for read-only statements (see pipeline.hpp), opened on first use in one of
  // the pool's slots and replaced when it fails or ages past `recycle`. Null when the pool
  // has room for one connection only, or while the pipeline is being opened, or when every
  // slot is taken: the statement then leases a connection.
  boost::asio::awaitable<std::shared_ptr<Pipeline>> pipeline(Clock::time_point deadline);

  // The io_context is going away: closes idle connections now and every lent one when
  // it comes back.
  void close_idle();

  std::size_t open_connections() const { return open_; }
  // Health probes on this thread share one round trip (see shared_probe.hpp).
  SharedProbe& health_probe() { return health_probe_; }
  std::size_t idle_connections() const { return idle_.size(); }

 private:
  friend class Lease;
  struct Waiter {
    explicit Waiter(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    std::unique_ptr<Connection> handed;  // a returned connection, given straight to it
    bool woken = false;                  // taken off the queue by whoever woke it
  };

  boost::asio::awaitable<std::unique_ptr<Connection>> take_idle();
  // Opens a connection in a new slot of open_; if that fails, frees the slot (waking a
  // waiter to use it) and rethrows.
  boost::asio::awaitable<std::unique_ptr<Connection>> open_one(Clock::time_point deadline);
  boost::asio::awaitable<void> fill();
  // Starts fill() once, on the first use of the pool.
  boost::asio::awaitable<void> start_filling();
  void retire_pipeline();
  bool fit_for_use(Connection& connection) const;
  void give_back(std::unique_ptr<Connection> connection);
  void discard(std::unique_ptr<Connection> connection);
  void wake_one();
  // Closes overflow connections idle for longer than spare_idle, oldest first.
  void retire_spares();
  // Brings this pool's share of the gauges up to date; called after every change.
  void publish();

  PoolOptions options_;
  std::vector<std::unique_ptr<Connection>> idle_;  // least recently used first
  std::size_t open_ = 0;                           // idle, lent and being opened
  std::list<Waiter*> waiters_;
  bool closed_ = false;
  bool filling_ = false;     // fill() started
  std::size_t warming_ = 0;  // connections fill() is opening
  SharedProbe health_probe_;
  std::shared_ptr<Pipeline> pipeline_;  // holds one slot of open_ (see publish)
  bool opening_pipeline_ = false;
  std::int64_t published_in_use_ = 0, published_idle_ = 0, published_waiting_ = 0;
};

}  // namespace gh::db::postgres
