#include "db/postgres/pipeline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "db/postgres/errors.hpp"
#include "db/postgres/types.hpp"

namespace gh::db::postgres {
namespace asio = boost::asio;
using asio::posix::descriptor_base;

Pipeline::Turn::Turn(const asio::any_io_executor& executor, Clock::time_point deadline,
                     std::size_t commands, std::string_view context)
    : timer(executor, deadline), results(commands), context(context) {}

asio::awaitable<std::shared_ptr<Pipeline>> Pipeline::start(std::unique_ptr<Connection> connection,
                                                           std::shared_ptr<PoolGauges> gauges,
                                                           Clock::duration stall_limit,
                                                           Clock::time_point deadline) {
  // Every statement here is planned once, generically. Left to choose, PostgreSQL plans the
  // page of users (LIMIT $2 OFFSET $1) afresh on every execution, since a custom plan always
  // looks cheaper: a fifth of its CPU per page. The generic plan walks the same index (on
  // 200,000 users too). Servers before 12 lack the setting and keep their own choice.
  try {
    co_await connection->execute_simple("SET plan_cache_mode = force_generic_plan", deadline);
  } catch (const DbError&) {
    if (!connection->reusable()) throw;
  }
  co_return std::make_shared<Pipeline>(std::move(connection), std::move(gauges), stall_limit);
}

Pipeline::Pipeline(std::unique_ptr<Connection> connection, std::shared_ptr<PoolGauges> gauges,
                   Clock::duration stall_limit)
    : connection_(std::move(connection)), gauges_(std::move(gauges)), stall_limit_(stall_limit) {
  if (PQenterPipelineMode(connection_->conn_) == 0) connection_->fail("pipeline");
}

Pipeline::~Pipeline() {
  abandon(DbError(DbError::Kind::unavailable, "database pipeline closed"));
}

void Pipeline::set_busy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  if (busy) busy_since_ = Clock::now();
  if (!gauges_) return;
  const std::int64_t step = busy ? 1 : -1;
  gauges_->in_use += step;
  gauges_->idle -= step;
}

asio::awaitable<Result> Pipeline::execute(const Query& query, const std::vector<Value>& params,
                                          Clock::time_point deadline) {
  std::shared_ptr<Turn> turn;
  do {  // again when another statement of the same Sync group failed first (see take)
    const auto* statement = co_await prepared(query, deadline);
    ensure_open();
    if (!connection_->send_prepared(*statement, params, query.name)) send_failed(query.name);
    turn = enqueue(1, deadline, query.name);
    co_await wait_for(turn);
  } while (turn->aborted);
  co_return to_result(turn->results.front().get(), query.name);
}

asio::awaitable<const Connection::PreparedMap::value_type*> Pipeline::prepared(
    const Query& query, Clock::time_point deadline) {
  for (;;) {
    if (const auto* found = connection_->known(query)) co_return found;
    // Another coroutine may be preparing it: then this one waits for the same turn.
    std::shared_ptr<Turn> turn;
    if (const auto pending = preparing_.find(query.name); pending != preparing_.end()) {
      turn = pending->second;
    } else {
      // No types given: the server infers them, and Describe says which (connection.hpp).
      ensure_open();
      const std::string name{query.name};
      if (PQsendPrepare(connection_->conn_, name.c_str(),
                        std::string{Connection::sql_of(query)}.c_str(), 0, nullptr) == 0 ||
          PQsendDescribePrepared(connection_->conn_, name.c_str()) == 0) {
        send_failed(query.name);
      }
      turn = enqueue(2, deadline, query.name);
      turn->preparing = &query;
      preparing_.emplace(name, turn);
    }
    // When the turn ends the pipeline records the statement (finish_preparing), whoever
    // still waits for it. Aborted, it was never prepared, and goes round again.
    co_await wait_for(turn);
  }
}

void Pipeline::finish_preparing(const Turn& turn) {
  if (turn.preparing == nullptr) return;
  if (const auto pending = preparing_.find(turn.preparing->name);
      pending != preparing_.end() && pending->second.get() == &turn) {
    preparing_.erase(pending);
  }
  if (!turn.error && !turn.aborted)
    connection_->remember(*turn.preparing, turn.results.at(1).get());
}

std::shared_ptr<Pipeline::Turn> Pipeline::enqueue(std::size_t commands, Clock::time_point deadline,
                                                  std::string_view context) {
  const auto executor = connection_->socket_.get_executor();
  auto turn = std::make_shared<Turn>(executor, deadline, commands, context);
  queue_.push_back(turn);
  set_busy(true);
  // One Sync (and one write) for every statement queued before the io thread gets back to
  // its event loop, instead of one each: the server process then wakes once per batch.
  if (!sync_posted_) {
    sync_posted_ = true;
    asio::post(executor, [self = shared_from_this()] { self->sync(); });
  }
  return turn;
}

void Pipeline::sync() {
  sync_posted_ = false;
  if (broken_) return;
  if (PQpipelineSync(connection_->conn_) == 0) {
    abandon(connection_error(connection_->conn_, "pipeline"));
    return;
  }
  queue_.push_back(nullptr);  // where the Sync's own result is expected
  // The pump may have ended already: a large result can arrive before its group's Sync.
  if (!pumping_) {
    pumping_ = true;
    asio::co_spawn(connection_->socket_.get_executor(), pump(shared_from_this()), asio::detached);
  } else if (waiting_) {
    connection_->socket_.cancel();  // it waits to read: it has this Sync to flush first
  }
}

asio::awaitable<void> Pipeline::wait_for(const std::shared_ptr<Turn>& turn) {
  // Done already: a statement that found another one preparing it can come after the end.
  if (!turn->done) {
    boost::system::error_code ignored;
    co_await turn->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (!turn->done) {
    // This caller stops waiting. The statement stays queued, and its results are dropped
    // when they come: the others may still be answered in time.
    give_up_if_stalled();
    throw DbError(DbError::Kind::unavailable, "database did not answer in time");
  }
  if (turn->error) throw *turn->error;
}

void Pipeline::give_up_if_stalled() {
  // Stuck: something queued, and no answer since the queue last filled or last moved (pop
  // stamps last_used_) for as long as any read may wait.
  if (queue_.empty()) return;
  if (Clock::now() - std::max(busy_since_, connection_->last_used_) >= stall_limit_)
    abandon(DbError(DbError::Kind::unavailable, "database did not answer in time"));
}

asio::awaitable<void> Pipeline::pump(std::shared_ptr<Pipeline> self) {
  PGconn* conn = connection_->conn_;
  try {
    while (!broken_) {
      const int unsent = PQflush(conn);
      if (unsent < 0) connection_->fail("pipeline");
      while (!queue_.empty() && PQisBusy(conn) == 0) take(Connection::ResultPtr{PQgetResult(conn)});
      // libpq answers NULL, not an error, for every command after it lost the connection.
      if (PQstatus(conn) == CONNECTION_BAD) connection_->fail("pipeline");
      if (queue_.empty()) break;
      co_await wait_socket(unsent > 0);
      if (broken_) break;
      if (PQconsumeInput(conn) == 0) connection_->fail("pipeline");
    }
  } catch (const DbError& error) {
    abandon(error);
  } catch (...) {
    // Not from libpq or the socket (memory, say): the protocol state is unknown all the same.
    abandon(DbError(DbError::Kind::unavailable, "database pipeline failed"));
  }
  pumping_ = false;
  waiting_ = false;
}

asio::awaitable<void> Pipeline::wait_socket(bool unsent) {
  // Edge-triggered: look before waiting for an edge that may have passed. While data is
  // unsent, read-ready counts too (libpq's advice for PQflush): a server blocked on sending
  // us results reads nothing more until we read, so waiting only to write could wait forever.
  if (connection_->ready_now(descriptor_base::wait_read) ||
      (unsent && connection_->ready_now(descriptor_base::wait_write)))
    co_return;
  using namespace asio::experimental::awaitable_operators;
  auto& socket = connection_->socket_;
  const auto wait = [&socket](descriptor_base::wait_type type) {
    return socket.async_wait(type, asio::as_tuple(asio::use_awaitable));
  };
  boost::system::error_code error;
  waiting_ = true;
  if (unsent) {
    error = std::visit(
        [](const auto& outcome) { return std::get<0>(outcome); },
        co_await (wait(descriptor_base::wait_write) || wait(descriptor_base::wait_read)));
  } else {
    std::tie(error) = co_await wait(descriptor_base::wait_read);
  }
  waiting_ = false;
  if (error && error != asio::error::operation_aborted && !broken_) {
    throw DbError(DbError::Kind::unavailable, "database socket: " + error.message());
  }
}

void Pipeline::take(Connection::ResultPtr result) {
  if (!queue_.front()) {  // a Sync: its result, and nothing else, comes next
    if (!result || PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC) {
      throw DbError(DbError::Kind::unavailable, "database pipeline out of step");
    }
    pop();
    return;
  }
  Turn& turn = *queue_.front();
  if (!result) {  // the end of one command's results
    // Every command has a result before its end; libpq gives none once it lost step.
    if (!turn.answered) throw DbError(DbError::Kind::unavailable, "database pipeline out of step");
    turn.answered = false;
    if (++turn.command == turn.results.size()) {
      turn.done = true;
      turn.timer.cancel();
      finish_preparing(turn);
      pop();
    }
    return;
  }
  turn.answered = true;
  const ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_PIPELINE_ABORTED) {
    // An earlier statement of this Sync group failed, and the server skipped this one
    // (a read: nothing happened). Its coroutine sends it again.
    if (!turn.error) turn.aborted = true;
  } else if (is_failure(status)) {
    if (!turn.error) turn.error.emplace(result_error(result.get(), turn.context));
    turn.aborted = false;
  } else if (turn.command < turn.results.size()) {
    turn.results[turn.command] = std::move(result);
  }
}

void Pipeline::pop() {
  queue_.pop_front();
  connection_->last_used_ = Clock::now();
  if (queue_.empty()) set_busy(false);
}

void Pipeline::ensure_open() const {
  // A coroutine that was handed the pipeline before it failed must not write to it.
  if (broken_) throw DbError(DbError::Kind::unavailable, "database pipeline closed");
}

void Pipeline::send_failed(std::string_view context) {
  const DbError error = connection_error(connection_->conn_, context);
  abandon(error);
  throw error;
}

void Pipeline::abandon(const DbError& error) {
  set_busy(false);
  if (broken_) return;
  broken_ = true;
  // Released, not only cancelled (which ends the pump's wait too): see Connection::mark_broken.
  connection_->mark_broken();
  for (const auto& turn : queue_) {
    if (!turn) continue;  // a Sync
    turn->error.emplace(error);
    turn->done = true;
    turn->timer.cancel();
  }
  queue_.clear();
  preparing_.clear();
}

}  // namespace gh::db::postgres
