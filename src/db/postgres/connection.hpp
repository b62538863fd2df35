#pragma once
// One asynchronous libpq connection on the calling coroutine's io_context: a non-blocking
// connect, statements prepared once per connection under their Query name, and every wait
// on the socket an Asio async_wait bounded by a deadline. No thread ever blocks in libpq.
// Used by one coroutine at a time (the pool lends it out).
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"

namespace gh::db::postgres {

using Clock = std::chrono::steady_clock;
class EncodedParams;

class Connection {
 public:
  // Connects to `conninfo` (a libpq URI or key=value string). DbError(unavailable) when the
  // server cannot be reached, refuses, or `deadline` passes first. A positive
  // `statement_timeout` becomes the session's own (the server stops a statement that runs
  // longer), unless `conninfo` sets server options itself.
  static boost::asio::awaitable<std::unique_ptr<Connection>> open(
      std::string conninfo, Clock::time_point deadline,
      std::chrono::milliseconds statement_timeout = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One named statement; prepared on this connection the first time its name is seen.
  boost::asio::awaitable<Result> execute(const Query& query, const std::vector<Value>& params,
                                         Clock::time_point deadline);
  // SQL text without parameters, possibly several statements (BEGIN, COMMIT, migrations).
  boost::asio::awaitable<void> execute_simple(std::string sql, Clock::time_point deadline);

  // A command of a batch: a statement and its parameters, or one SQL statement's text.
  struct Command {
    const Query* query = nullptr;
    const std::vector<Value>* params = nullptr;
    const char* text = nullptr;  // when there is no query: BEGIN, COMMIT
  };
  // The commands in one write with one Sync after them (libpq's pipeline mode): one round
  // trip for all. One Result each, in order. The first failure is thrown once every answer
  // is in; the server skipped the commands after it.
  boost::asio::awaitable<std::vector<Result>> execute_batch(const std::vector<Command>& commands,
                                                            Clock::time_point deadline);

  // True when the connection can be lent again: not failed, not inside a transaction.
  bool reusable() const;
  // Without waiting: false when the server sent anything while the connection sat idle.
  // An idle session only hears from the server when it is being closed (shutdown,
  // restart, idle timeout), so the connection is given up.
  bool quiet_while_idle();

  Clock::time_point opened_at() const { return opened_at_; }
  Clock::time_point last_used() const { return last_used_; }

 private:
  friend class Pipeline;  // drives the same libpq connection in pipeline mode
  struct ClearResult {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  using ResultPtr = std::unique_ptr<PGresult, ClearResult>;
  struct Prepared {
    std::string sql;  // to catch two queries sharing a name
    std::vector<Oid> param_types;
  };
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };
  using PreparedMap = std::unordered_map<std::string, Prepared, NameHash, std::equal_to<>>;

  // The deadline of the exchange under way. One timer per exchange, not per wait: when it
  // fires it cancels the socket wait in progress (or marks the next one as too late).
  // Shared with the timer's handler, which can run after the connection is gone.
  struct Watchdog {
    std::uint64_t exchange = 0;
    bool expired = false;
    boost::asio::posix::stream_descriptor* socket = nullptr;
  };
  // Arms the watchdog for one exchange and disarms it at the end, so an idle connection
  // leaves no timer pending in its io_context.
  class Exchange {
   public:
    Exchange(Connection& connection, Clock::time_point deadline);
    ~Exchange();
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

   private:
    Connection& connection_;
  };

  Connection(PGconn* conn, const boost::asio::any_io_executor& executor);
  boost::asio::awaitable<void> connect(Clock::time_point deadline);
  boost::asio::awaitable<const PreparedMap::value_type*> prepared(const Query& query);
  // The text this server runs for `query`.
  static std::string_view sql_of(const Query& query);
  // The statement prepared under `query`'s name, or null. DbError(other) when that name was
  // prepared for different SQL.
  const PreparedMap::value_type* known(const Query& query) const;
  // Records `query` as prepared, with the parameter types its Describe (`description`) gave.
  const PreparedMap::value_type* remember(const Query& query, const PGresult* description);
  // Sends the prepared statement with `params`; false when libpq refuses.
  bool send_prepared(const PreparedMap::value_type& statement, const std::vector<Value>& params,
                     std::string_view name);
  boost::asio::awaitable<ResultPtr> finish(std::string_view context);
  // The results of one command, up to the null that ends them; the first failure goes to
  // `error` (a command the server skipped in a pipeline adds none).
  boost::asio::awaitable<ResultPtr> collect(std::string_view context,
                                            std::optional<DbError>& error);
  bool send_encoded(const PreparedMap::value_type& statement, const EncodedParams& encoded);
  // The results of a batch's commands, one each, then the Sync's answer; the first failure
  // thrown once all are read.
  boost::asio::awaitable<std::vector<ResultPtr>> collect_batch(
      const std::vector<Command>& commands);
  // Reads the Sync's answer and leaves pipeline mode.
  boost::asio::awaitable<void> end_pipeline();
  // The next result (null: the end of a command's), once libpq can give it without waiting.
  boost::asio::awaitable<ResultPtr> next_result(std::string_view context);
  // The answers no longer match what was sent: the connection is given up.
  [[noreturn]] void out_of_step();
  boost::asio::awaitable<void> flush(std::string_view context);
  boost::asio::awaitable<void> wait(boost::asio::posix::descriptor_base::wait_type type);
  void watch_socket();
  bool ready_now(boost::asio::posix::descriptor_base::wait_type type) const;
  [[noreturn]] void fail(std::string_view context);
  // Done for good: no more waits on the socket, which Asio lets go of at once.
  void mark_broken();

  PGconn* conn_;
  boost::asio::posix::stream_descriptor socket_;  // libpq's socket, watched, never closed by us
  boost::asio::steady_timer timer_;
  std::shared_ptr<Watchdog> watchdog_;
  Clock::time_point opened_at_;
  Clock::time_point last_used_;
  bool broken_ = false;
  PreparedMap prepared_;
};

}  // namespace gh::db::postgres
