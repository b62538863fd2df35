#pragma once
// The read-only statements of one io thread, sent down one connection in libpq's pipeline
// mode. Each coroutine queues its statement and waits for its turn; the statements queued
// before the thread returns to its event loop share one Sync (one write, one wake-up of
// the server process); one pump coroutine flushes, reads the results in order and hands
// each turn its own. A failed statement aborts the rest of its Sync group: those were
// reads the server skipped, and their coroutines send them again. Many
// statements in flight then cost one server process instead of one each, and that process
// reads a batch per wake-up: on a small machine, twenty server processes woken for one
// statement each were what the tail latency waited for (bench/README.md).
//
// Only plain SELECTs come here: they take no row locks, so no statement in the queue can
// wait on another transaction while the others wait behind it. Writes lease a connection.
// A statement past its caller's deadline fails alone (unavailable): it stays queued, and its
// results are dropped when they come, so a health check with a short deadline queued behind
// slow reads fails without failing them. A pipeline with statements queued and no answer for
// the stall limit (the longest deadline a caller may have) is given up: every statement
// queued on it fails as unavailable, and the pool opens another.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/postgres/connection.hpp"
#include "db/postgres/pool_gauges.hpp"

namespace gh::db::postgres {

class Pipeline : public std::enable_shared_from_this<Pipeline> {
 public:
  // Sets the session up (see pipeline.cpp), then puts it in pipeline mode.
  static boost::asio::awaitable<std::shared_ptr<Pipeline>> start(
      std::unique_ptr<Connection> connection, std::shared_ptr<PoolGauges> gauges,
      Clock::duration stall_limit, Clock::time_point deadline);

  // Puts an open, idle connection in pipeline mode. `gauges` (may be null) count the
  // pipeline as idle, and as in use while statements are queued on it.
  Pipeline(std::unique_ptr<Connection> connection, std::shared_ptr<PoolGauges> gauges,
           Clock::duration stall_limit);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Must be awaited on the connection's io_context, by a caller holding a shared_ptr.
  boost::asio::awaitable<Result> execute(const Query& query, const std::vector<Value>& params,
                                         Clock::time_point deadline);

  bool failed() const { return broken_; }
  // Gives the pipeline up (failed() turns true) if statements are queued and none has been
  // answered for the stall limit: the server is not answering, whoever still waits.
  void give_up_if_stalled();
  // Nothing queued: the pool may check the connection as it checks an idle one.
  bool idle() const { return queue_.empty(); }
  Connection& connection() const { return *connection_; }

 private:
  // One statement (or a Prepare and its Describe) and its results.
  struct Turn {
    Turn(const boost::asio::any_io_executor& executor, Clock::time_point deadline,
         std::size_t commands, std::string_view context);
    boost::asio::steady_timer timer;             // expires at the deadline; cancelled once done
    std::vector<Connection::ResultPtr> results;  // one per command
    std::size_t command = 0;                     // whose results are arriving
    bool answered = false;                       // the current command got its result
    std::optional<DbError> error;                // the first failure
    bool aborted = false;  // skipped after another statement of its Sync group failed
    bool done = false;
    std::string_view context;          // the statement's name, for errors
    const Query* preparing = nullptr;  // a Prepare and its Describe: the statement prepared
  };

  boost::asio::awaitable<const Connection::PreparedMap::value_type*> prepared(
      const Query& query, Clock::time_point deadline);
  // Queues the turn of the `commands` just sent, and a Sync after them to come.
  std::shared_ptr<Turn> enqueue(std::size_t commands, Clock::time_point deadline,
                                std::string_view context);
  // Until the turn is done (its error thrown) or its deadline passes (unavailable thrown).
  boost::asio::awaitable<void> wait_for(const std::shared_ptr<Turn>& turn);
  boost::asio::awaitable<void> pump(std::shared_ptr<Pipeline> self);
  // Until the socket has something to read, or, while data is unsent, can take more; or
  // until a new Sync cancels the wait (see sync).
  boost::asio::awaitable<void> wait_socket(bool unsent);
  // A Prepare turn is over: its statement is known from now on, or may be sent again.
  void finish_preparing(const Turn& turn);
  // Ends the Sync group: every statement queued since the last one.
  void sync();
  void take(Connection::ResultPtr result);
  void pop();
  void ensure_open() const;
  [[noreturn]] void send_failed(std::string_view context);
  void abandon(const DbError& error);
  void set_busy(bool busy);

  std::unique_ptr<Connection> connection_;
  std::deque<std::shared_ptr<Turn>> queue_;  // null: a Sync
  std::unordered_map<std::string, std::shared_ptr<Turn>, Connection::NameHash, std::equal_to<>>
      preparing_;
  bool pumping_ = false;
  bool sync_posted_ = false;
  bool waiting_ = false;  // the pump waits on the socket, which a new Sync interrupts
  bool broken_ = false;
  std::shared_ptr<PoolGauges> gauges_;
  Clock::duration stall_limit_;
  bool busy_ = false;             // statements queued (the gauges count it)
  Clock::time_point busy_since_;  // when the queue last filled from empty
};

}  // namespace gh::db::postgres
