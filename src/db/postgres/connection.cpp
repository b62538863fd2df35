#include "db/postgres/connection.hpp"

#include <poll.h>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <memory>
#include <optional>

#include "db/postgres/errors.hpp"
#include "db/postgres/host_lookup.hpp"
#include "db/postgres/types.hpp"

namespace gh::db::postgres {
namespace asio = boost::asio;
using asio::posix::descriptor_base;

namespace {

// Notices ("relation already exists, skipping") would otherwise go to stderr, unstructured.
void ignore_notice(void*, const PGresult*) {}

}  // namespace

Connection::Connection(PGconn* conn, const asio::any_io_executor& executor)
    : conn_(conn),
      socket_(executor),
      timer_(executor),
      watchdog_(std::make_shared<Watchdog>()),
      opened_at_(Clock::now()),
      last_used_(opened_at_) {
  watchdog_->socket = &socket_;
}

Connection::~Connection() {
  watchdog_->socket = nullptr;
  // libpq owns the descriptor and closes it in PQfinish; Asio only stops watching it.
  if (socket_.is_open()) socket_.release();
  PQfinish(conn_);
}

asio::awaitable<std::unique_ptr<Connection>> Connection::open(
    std::string conninfo, Clock::time_point deadline, std::chrono::milliseconds statement_timeout) {
  // Host names are looked up here, off the io thread (see host_lookup.hpp); libpq then
  // only connects to the addresses it is given.
  const std::optional<HostKeywords> hosts = co_await look_up_hosts(conninfo, deadline);
  // expand_dbname: "dbname" may carry a whole URI. Keywords before it are defaults the URI
  // may override, those after it win. GSSAPI encryption is off unless the URI asks for
  // it: libpq's probe for Kerberos credentials runs synchronously inside PQconnectPoll,
  // on an io thread. The encoding is fixed: gatehouse's text is UTF-8. An empty value
  // (no lookup needed, no timeout) is ignored. The statement timeout comes before the URI:
  // an `options` of the operator's own replaces it.
  const std::string server_options =
      statement_timeout.count() > 0
          ? "-c statement_timeout=" + std::to_string(statement_timeout.count())
          : std::string{};
  const char* const keys[] = {
      "gssencmode", "options", "dbname", "fallback_application_name", "client_encoding", "host",
      "hostaddr",   "port",    nullptr};
  const char* const values[] = {"disable",
                                server_options.c_str(),
                                conninfo.c_str(),
                                "gatehouse",
                                "UTF8",
                                hosts ? hosts->host.c_str() : "",
                                hosts ? hosts->hostaddr.c_str() : "",
                                hosts ? hosts->port.c_str() : "",
                                nullptr};
  PGconn* conn = PQconnectStartParams(keys, values, 1);
  std::unique_ptr<Connection> connection{new Connection(conn, co_await asio::this_coro::executor)};
  co_await connection->connect(deadline);
  co_return connection;
}

Connection::Exchange::Exchange(Connection& connection, Clock::time_point deadline)
    : connection_(connection) {
  auto& watchdog = *connection.watchdog_;
  ++watchdog.exchange;
  watchdog.expired = false;
  connection.timer_.expires_at(deadline);
  connection.timer_.async_wait([watchdog = connection.watchdog_, exchange = watchdog.exchange](
                                   const boost::system::error_code& error) {
    // A stale expiry (its exchange is over) or a connection gone since: nothing to do.
    if (error || watchdog->exchange != exchange || watchdog->socket == nullptr) return;
    watchdog->expired = true;
    boost::system::error_code ignored;  // a socket released after a failure: nothing to cancel
    watchdog->socket->cancel(ignored);
  });
}

Connection::Exchange::~Exchange() {
  ++connection_.watchdog_->exchange;
  connection_.timer_.cancel();
}

asio::awaitable<void> Connection::connect(Clock::time_point deadline) {
  const Exchange exchange{*this, deadline};
  if (conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD) fail("connect");
  // libpq's protocol: act as if PQconnectPoll last asked to wait for writing.
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    // libpq may close and open sockets while it tries each address, and a new socket can
    // reuse the old number: register the descriptor afresh before every wait.
    watch_socket();
    co_await wait(status == PGRES_POLLING_READING ? descriptor_base::wait_read
                                                  : descriptor_base::wait_write);
    status = PQconnectPoll(conn_);
    if (status == PGRES_POLLING_FAILED) fail("connect");
  }
  watch_socket();
  if (PQsetnonblocking(conn_, 1) != 0) fail("connect");
  PQsetNoticeReceiver(conn_, ignore_notice, nullptr);
}

void Connection::watch_socket() {
  if (socket_.is_open()) socket_.release();
  const int fd = PQsocket(conn_);
  if (fd < 0) fail("connect");
  socket_.assign(fd);
}

bool Connection::ready_now(descriptor_base::wait_type type) const {
  const short events = type == descriptor_base::wait_read ? POLLIN : POLLOUT;
  pollfd entry{PQsocket(conn_), events, 0};
  return ::poll(&entry, 1, 0) > 0;
}

void Connection::fail(std::string_view context) {
  DbError error = connection_error(conn_, context);
  mark_broken();
  throw error;
}

void Connection::mark_broken() {
  broken_ = true;
  // libpq may have closed the descriptor already, and the next connection opened can get its
  // number: unregistering it from Asio later, in the destructor, would unregister that one.
  if (socket_.is_open()) socket_.release();
}

asio::awaitable<void> Connection::wait(descriptor_base::wait_type type) {
  // Asio's epoll registration is edge-triggered, and libpq may leave bytes in the kernel
  // after a read (or the send buffer may drain before we wait): look before waiting for
  // an edge that already passed.
  if (ready_now(type)) co_return;
  std::string failure;
  if (!watchdog_->expired) {
    try {
      co_await socket_.async_wait(type, asio::use_awaitable);
      co_return;
    } catch (const boost::system::system_error& e) {
      failure = std::string{"database socket: "} + e.what();
    }
  }
  // Timed out mid-exchange: the protocol state is unknown, so the connection is done.
  mark_broken();
  if (watchdog_->expired) failure = "database did not answer in time";
  throw DbError(DbError::Kind::unavailable, failure);
}

asio::awaitable<void> Connection::flush(std::string_view context) {
  for (;;) {
    const int pending = PQflush(conn_);
    if (pending == 0) co_return;
    if (pending < 0) fail(context);
    co_await wait(descriptor_base::wait_write);
    // Read what the server sent meanwhile, or both sides could block on full buffers.
    if (PQconsumeInput(conn_) == 0) fail(context);
  }
}

asio::awaitable<Connection::ResultPtr> Connection::finish(std::string_view context) {
  co_await flush(context);
  std::optional<DbError> error;
  ResultPtr kept = co_await collect(context, error);
  if (error) throw *error;
  co_return kept;
}

asio::awaitable<Connection::ResultPtr> Connection::collect(std::string_view context,
                                                           std::optional<DbError>& error) {
  ResultPtr kept;
  for (;;) {
    ResultPtr result = co_await next_result(context);
    if (!result) break;
    // Every result is drained, so the connection is ready for the next command; the first
    // error is the one to report.
    const ExecStatusType status = PQresultStatus(result.get());
    if (is_failure(status)) {
      if (!error) error.emplace(result_error(result.get(), context));
    } else if (status != PGRES_PIPELINE_ABORTED) {
      kept = std::move(result);
    }
  }
  if (PQstatus(conn_) != CONNECTION_OK) mark_broken();
  if (!error) last_used_ = Clock::now();
  co_return kept;
}

std::string_view Connection::sql_of(const Query& query) {
  return query.postgres.empty() ? query.sql : query.postgres;
}

const Connection::PreparedMap::value_type* Connection::known(const Query& query) const {
  const auto found = prepared_.find(query.name);
  if (found == prepared_.end()) return nullptr;
  if (found->second.sql != sql_of(query)) {
    throw DbError(DbError::Kind::other,
                  std::string{query.name} + ": two different queries share this name");
  }
  return &*found;
}

const Connection::PreparedMap::value_type* Connection::remember(const Query& query,
                                                                const PGresult* description) {
  if (const auto* found = known(query)) return found;
  Prepared entry{std::string{sql_of(query)}, {}};
  const int count = description != nullptr ? PQnparams(description) : 0;
  for (int i = 0; i < count; ++i) entry.param_types.push_back(PQparamtype(description, i));
  return &*prepared_.emplace(std::string{query.name}, std::move(entry)).first;
}

bool Connection::send_prepared(const PreparedMap::value_type& statement,
                               const std::vector<Value>& params, std::string_view name) {
  const EncodedParams encoded(statement.second.param_types, params, name);
  return send_encoded(statement, encoded);
}

bool Connection::send_encoded(const PreparedMap::value_type& statement,
                              const EncodedParams& encoded) {
  return PQsendQueryPrepared(conn_, statement.first.c_str(), encoded.count(), encoded.values(),
                             encoded.lengths(), encoded.formats(), kBinaryResults) != 0;
}

asio::awaitable<const Connection::PreparedMap::value_type*> Connection::prepared(
    const Query& query) {
  if (const auto* found = known(query)) co_return found;
  const std::string name{query.name};
  // No types given: the server infers each parameter's type from the statement, and
  // Describe tells us which, so integers meant as times can be sent as timestamps.
  if (PQsendPrepare(conn_, name.c_str(), std::string{sql_of(query)}.c_str(), 0, nullptr) == 0)
    fail(name);
  co_await finish(name);
  if (PQsendDescribePrepared(conn_, name.c_str()) == 0) fail(name);
  const ResultPtr description = co_await finish(name);
  // Refused now rather than when its rows come: in a batch, those come after the COMMIT.
  check_columns(description.get(), name);
  co_return remember(query, description.get());
}

asio::awaitable<Result> Connection::execute(const Query& query, const std::vector<Value>& params,
                                            Clock::time_point deadline) {
  const Exchange exchange{*this, deadline};
  const auto* statement = co_await prepared(query);
  if (!send_prepared(*statement, params, query.name)) fail(query.name);
  const ResultPtr result = co_await finish(query.name);
  co_return to_result(result.get(), query.name);
}

asio::awaitable<void> Connection::execute_simple(std::string sql, Clock::time_point deadline) {
  const Exchange exchange{*this, deadline};
  if (PQsendQuery(conn_, sql.c_str()) == 0) fail("query");
  co_await finish("query");
}

asio::awaitable<std::vector<Result>> Connection::execute_batch(const std::vector<Command>& commands,
                                                               Clock::time_point deadline) {
  const Exchange exchange{*this, deadline};
  // Everything that can be refused is done before the pipeline opens: a statement prepared
  // (one at a time: a pipeline cannot wait for a Describe before its Bind) and its
  // parameters encoded. A refusal then leaves the connection as it was.
  std::vector<const PreparedMap::value_type*> statements;
  std::vector<std::unique_ptr<EncodedParams>> encoded;
  for (const Command& c : commands) {
    statements.push_back(c.query != nullptr ? co_await prepared(*c.query) : nullptr);
    encoded.push_back(c.query != nullptr
                          ? std::make_unique<EncodedParams>(statements.back()->second.param_types,
                                                            *c.params, c.query->name)
                          : nullptr);
  }
  if (PQenterPipelineMode(conn_) == 0) fail("batch");
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const bool sent = statements[i] != nullptr
                          ? send_encoded(*statements[i], *encoded[i])
                          : PQsendQueryParams(conn_, commands[i].text, 0, nullptr, nullptr, nullptr,
                                              nullptr, kBinaryResults) != 0;
    if (!sent) fail("batch");
  }
  if (PQpipelineSync(conn_) == 0) fail("batch");
  co_await flush("batch");
  std::vector<ResultPtr> answers = co_await collect_batch(commands);
  std::vector<Result> results;
  results.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    results.push_back(commands[i].query != nullptr
                          ? to_result(answers[i].get(), commands[i].query->name)
                          : Result{});
  }
  co_return results;
}

asio::awaitable<std::vector<Connection::ResultPtr>> Connection::collect_batch(
    const std::vector<Command>& commands) {
  std::optional<DbError> error;
  std::vector<ResultPtr> answers;
  answers.reserve(commands.size());
  for (const Command& c : commands) {
    answers.push_back(co_await collect(c.query != nullptr ? c.query->name : "batch", error));
    // libpq answers nothing, not an error, for the commands after it lost the connection.
    if (broken_) fail("batch");
    // Every command sent has a result, or the server skipped it after an error.
    if (!answers.back() && !error) out_of_step();
  }
  co_await end_pipeline();
  if (error) throw *error;
  co_return answers;
}

asio::awaitable<void> Connection::end_pipeline() {
  const ResultPtr sync = co_await next_result("batch");
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) out_of_step();
  if (PQexitPipelineMode(conn_) == 0) fail("batch");
}

asio::awaitable<Connection::ResultPtr> Connection::next_result(std::string_view context) {
  while (PQisBusy(conn_) != 0) {
    co_await wait(descriptor_base::wait_read);
    if (PQconsumeInput(conn_) == 0) fail(context);
  }
  co_return ResultPtr{PQgetResult(conn_)};
}

void Connection::out_of_step() {
  mark_broken();
  throw DbError(DbError::Kind::unavailable, "database pipeline out of step");
}

bool Connection::reusable() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK &&
         PQtransactionStatus(conn_) == PQTRANS_IDLE && PQpipelineStatus(conn_) == PQ_PIPELINE_OFF;
}

bool Connection::quiet_while_idle() {
  if (broken_ || ready_now(descriptor_base::wait_read)) return false;
  return PQstatus(conn_) == CONNECTION_OK;
}

}  // namespace gh::db::postgres
