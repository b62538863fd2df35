// The PostgreSQL backend against a real server: the test cluster's (see
// pg_test_database.hpp). Registered only for the PostgreSQL run.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <exception>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "db/params.hpp"
#include "db/postgres/postgres_database.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"

namespace gh::db {
namespace {

using test::PgTestDatabase;
using test::run_async;

constexpr std::int64_t kStart = 1'700'000'000'123'456;  // microseconds, not a round second
const std::string kUuid = "0190a5c4-7e2d-7c3a-9b1f-0123456789ab";

constexpr Query kCreate{"test_create",
                        "CREATE TABLE things (id uuid PRIMARY KEY, at timestamptz, flag boolean, "
                        "big bigint, small integer, label text UNIQUE, nothing text)"};
constexpr Query kInsert{"test_insert",
                        "INSERT INTO things (id, at, flag, big, small, label, nothing) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Query kSelect{
    "test_select", "SELECT id, at, flag, big, small, label, nothing FROM things ORDER BY label"};
constexpr Query kCount{"test_count", "SELECT COUNT(*) FROM things"};
constexpr Query kTouch{"test_touch", "UPDATE things SET flag = NOT flag"};
constexpr Query kBackendPid{"test_backend_pid", "SELECT pg_backend_pid()"};
constexpr Query kLongSleep{"test_long_sleep", "SELECT 1 FROM pg_sleep(30)"};
// Waits for a lock the test holds (see hold_lock), for as long as the test wants.
constexpr Query kWaitForLock{"test_wait_for_lock", "SELECT 1 FROM pg_advisory_xact_lock(7)"};
// Holds its connection long enough that a second statement at once needs another one.
constexpr Query kBusyPid{"test_busy_pid", "SELECT pg_backend_pid() FROM pg_sleep(0.1)"};
constexpr Query kBroken{"test_broken", "SELEC 1"};
constexpr Query kSelectOne{"test_select", "SELECT 1"};  // reuses kSelect's name
// Read-only statements: these go down the pool's pipeline (the ones above lease).
constexpr bool kReadOnly = true;
constexpr Query kPipelinedPid{"test_pipelined_pid", "SELECT pg_backend_pid()", {}, kReadOnly};
constexpr Query kPipelinedTime{"test_pipelined_time", "SELECT $1::timestamptz", {}, kReadOnly};
constexpr Query kPipelinedSleep{
    "test_pipelined_sleep", "SELECT 1 FROM pg_sleep($1)", {}, kReadOnly};
constexpr Query kPipelinedBroken{"test_pipelined_broken", "SELEC 1", {}, kReadOnly};
constexpr Query kPipelinedPlanMode{
    "test_pipelined_plan_mode", "SELECT current_setting('plan_cache_mode')", {}, kReadOnly};
constexpr Query kLeasedPlanMode{"test_leased_plan_mode",
                                "SELECT current_setting('plan_cache_mode')"};
constexpr Query kPipelinedLarge{
    "test_pipelined_large", "SELECT repeat('x', 300000)", {}, kReadOnly};
constexpr Query kPipelinedDivision{"test_pipelined_division", "SELECT 1 / 0", {}, kReadOnly};

// For pings whose deadline is not what the test is about: the default (750 ms) bounds the
// first connect too, which a loaded machine can take longer than.
constexpr std::chrono::seconds kPatientPing{10};

// A session of the test's own, outside every pool, holding advisory lock `key` until it ends.
using Session = std::unique_ptr<PGconn, decltype(&PQfinish)>;
Session hold_lock(const std::string& url, int key) {
  Session session{PQconnectdb(url.c_str()), &PQfinish};
  const std::string sql = "SELECT pg_advisory_lock(" + std::to_string(key) + ")";
  PGresult* result = PQexec(session.get(), sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(session.get());
  PQclear(result);
  return session;
}

DbError::Kind kind_of_failure(auto&& action) {
  try {
    action();
  } catch (const DbError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "expected a DbError";
  return DbError::Kind::other;
}

std::vector<Value> thing(const std::string& id, const std::string& label) {
  return params(id, kStart, std::int64_t{1}, std::int64_t{1} << 40, std::int64_t{-7}, label,
                Value{});
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { run_async(db_->execute(kCreate, {})); }

  Result execute(const Query& query, std::vector<Value> values = {}) {
    return run_async(db_->execute(query, std::move(values)));
  }

  PgTestDatabase pg_;
  std::unique_ptr<Database> db_ =
      open_postgres({.conninfo = pg_.url(), .ping_timeout = kPatientPing});
};

TEST_F(PostgresDatabaseTest, ReadsAndWritesNativeTypesExactly) {
  execute(kInsert, thing(kUuid, "a"));
  const Result result = execute(kSelect);
  ASSERT_EQ(result.rows.size(), 1U);
  const Row& row = result.rows[0];
  EXPECT_EQ(row.text(0), kUuid);
  EXPECT_EQ(row.integer(1), kStart);
  EXPECT_EQ(row.integer(2), 1);
  EXPECT_EQ(row.integer(3), std::int64_t{1} << 40);
  EXPECT_EQ(row.integer(4), -7);
  EXPECT_EQ(row.text(5), "a");
  EXPECT_TRUE(row.is_null(6));
}

TEST_F(PostgresDatabaseTest, ReportsAffectedRowsOnlyForWrites) {
  execute(kInsert, thing(kUuid, "a"));
  EXPECT_EQ(execute(kTouch).affected_rows, 1);
  EXPECT_EQ(execute(kSelect).affected_rows, 0);
}

TEST_F(PostgresDatabaseTest, MapsUniqueViolationsAndOtherFailures) {
  execute(kInsert, thing(kUuid, "a"));
  EXPECT_EQ(kind_of_failure([&] { execute(kInsert, thing(kUuid, "b")); }),
            DbError::Kind::unique_violation);
  EXPECT_EQ(kind_of_failure([&] { execute(kBroken); }), DbError::Kind::other);
  EXPECT_EQ(kind_of_failure([&] { execute(kInsert, params(kUuid)); }), DbError::Kind::other);
}

TEST_F(PostgresDatabaseTest, RefusesTwoQueriesWithOneName) {
  auto both = [&]() -> boost::asio::awaitable<void> {
    co_await db_->execute(kSelect, {});
    co_await db_->execute(kSelectOne, {});  // same connection: the name is taken
  };
  EXPECT_EQ(kind_of_failure([&] { run_async(both()); }), DbError::Kind::other);
}

TEST_F(PostgresDatabaseTest, TransactionRollsBackAndLeavesTheConnectionClean) {
  auto scenario = [&]() -> boost::asio::awaitable<std::int64_t> {
    std::vector<Statement> statements{{&kInsert, thing(kUuid, "a")}, {&kInsert, thing(kUuid, "b")}};
    try {
      co_await db_->execute_in_transaction(std::move(statements));
      ADD_FAILURE() << "the duplicate id should have failed the transaction";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind(), DbError::Kind::unique_violation);
    }
    // The same (only) connection answers normally afterwards, outside any transaction.
    co_await db_->execute(kInsert, thing("0190a5c4-7e2d-7c3a-9b1f-00000000000c", "c"));
    co_return (co_await db_->execute(kCount, {})).rows.at(0).integer(0);
  };
  EXPECT_EQ(run_async(scenario()), 1);
}

TEST_F(PostgresDatabaseTest, TransactionAppliesEveryStatement) {
  std::vector<Statement> statements{{&kInsert, thing(kUuid, "a")}, {&kTouch, {}}};
  const auto results = run_async(db_->execute_in_transaction(std::move(statements)));
  ASSERT_EQ(results.size(), 2U);
  EXPECT_EQ(results[1].affected_rows, 1);
  EXPECT_EQ(execute(kSelect).rows.at(0).integer(2), 0);
}

TEST_F(PostgresDatabaseTest, AStatementOnlyIfAnotherChangedRunsExactlyWhenItDid) {
  std::vector<Statement> statements{
      {&kTouch, {}},  // an empty table: changes nothing
      {&kInsert, thing(kUuid, "skipped"), 0},
      {&kInsert, thing("0190a5c4-7e2d-7c3a-9b1f-00000000000d", "b")},
      {&kTouch, {}, 2},
      {&kCount, {}},
  };
  const auto results = run_async(db_->execute_in_transaction(std::move(statements)));
  EXPECT_EQ(results[1].affected_rows, 0);
  EXPECT_EQ(results[3].affected_rows, 1);
  EXPECT_EQ(results[4].rows.at(0).integer(0), 1);
}

TEST_F(PostgresDatabaseTest, AFailureInALaterBatchRollsBackTheEarlierOnes) {
  auto scenario = [&]() -> boost::asio::awaitable<std::int64_t> {
    // The duplicate waits for the first insert's answer (its condition), so it goes in a
    // second round trip, after the first insert ran in the open transaction.
    std::vector<Statement> statements{
        {&kInsert, thing(kUuid, "a")}, {&kInsert, thing(kUuid, "b"), 0}, {&kTouch, {}}};
    try {
      co_await db_->execute_in_transaction(std::move(statements));
      ADD_FAILURE() << "the duplicate id should have failed the transaction";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind(), DbError::Kind::unique_violation);
    }
    co_return (co_await db_->execute(kCount, {})).rows.at(0).integer(0);
  };
  EXPECT_EQ(run_async(scenario()), 0);
  // The connection left pipeline mode and its failed transaction: it takes another.
  std::vector<Statement> again{{&kInsert, thing(kUuid, "a")}, {&kTouch, {}, 0}};
  const auto results = run_async(db_->execute_in_transaction(std::move(again)));
  EXPECT_EQ(results.at(1).affected_rows, 1);
  EXPECT_EQ(execute(kCount).rows.at(0).integer(0), 1);
}

TEST_F(PostgresDatabaseTest, AnEmptyTransactionCommits) {
  EXPECT_TRUE(run_async(db_->execute_in_transaction({})).empty());
  EXPECT_EQ(execute(kCount).rows.at(0).integer(0), 0);
}

TEST_F(PostgresDatabaseTest, AConditionOnALaterStatementIsRefused) {
  std::vector<Statement> statements{{&kTouch, {}, 1}, {&kTouch, {}}};
  EXPECT_ANY_THROW(run_async(db_->execute_in_transaction(std::move(statements))));
  EXPECT_EQ(execute(kCount).rows.at(0).integer(0), 0);
}

TEST_F(PostgresDatabaseTest, ABatchWhoseStatementsAreAllSkippedIsNotSent) {
  std::vector<Statement> statements{
      {&kTouch, {}},                           // an empty table: changes nothing
      {&kInsert, thing(kUuid, "skipped"), 0},  // skipped: a batch of its own, left empty
      {&kTouch, {}, 1},                        // skipped too: its condition was skipped
      {&kCount, {}},
  };
  const auto results = run_async(db_->execute_in_transaction(std::move(statements)));
  ASSERT_EQ(results.size(), 4U);
  EXPECT_EQ(results[1].affected_rows, 0);
  EXPECT_EQ(results[3].rows.at(0).integer(0), 0);
}

TEST_F(PostgresDatabaseTest, AColumnTypeItCannotReadIsRefusedBeforeTheCommit) {
  constexpr Query kNumeric{"test_numeric", "SELECT 1.5::numeric"};
  std::vector<Statement> statements{{&kInsert, thing(kUuid, "a")}, {&kNumeric, {}}};
  EXPECT_EQ(kind_of_failure([&] { run_async(db_->execute_in_transaction(std::move(statements))); }),
            DbError::Kind::other);
  EXPECT_EQ(execute(kCount).rows.at(0).integer(0), 0);  // the insert was rolled back
}

TEST_F(PostgresDatabaseTest, ScriptAndStatementsCommitTogetherOrNotAtAll) {
  std::vector<Statement> failing{{&kBroken, {}}};
  EXPECT_EQ(kind_of_failure([&] {
              run_async(db_->execute_script("CREATE TABLE extra (x int);", std::move(failing)));
            }),
            DbError::Kind::other);
  std::vector<Statement> then{{&kInsert, thing(kUuid, "a")}};
  run_async(db_->execute_script("CREATE TABLE extra (x int); INSERT INTO extra VALUES (1);",
                                std::move(then)));
  EXPECT_EQ(execute(kCount).rows.at(0).integer(0), 1);
}

TEST_F(PostgresDatabaseTest, PingAnswers) {
  EXPECT_TRUE(run_async(db_->ping()));
}

TEST(PostgresDatabase, PoolStatsCountEveryPoolsConnections) {
  PgTestDatabase pg;
  // A pool of one: no background fill to race the count.
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 1});
  auto scenario = [&]() -> boost::asio::awaitable<PoolStats> {
    co_await db->execute(kBackendPid, {});
    co_return db->pool_stats();
  };
  const PoolStats during = run_async(scenario());
  EXPECT_EQ(during.idle, 1);
  EXPECT_EQ(during.in_use, 0);
  EXPECT_EQ(during.waiting, 0);
  const PoolStats after = db->pool_stats();  // that io_context, and its pool, are gone
  EXPECT_EQ(after.idle, 0);
  EXPECT_EQ(after.in_use, 0);
}

TEST(PostgresDatabase, FirstUseOpensTheKeptConnectionsInTheBackground) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 4, .max_overflow = 2});
  boost::asio::io_context io;
  auto answer = boost::asio::co_spawn(io, db->execute(kBackendPid, {}), boost::asio::use_future);
  io.run();  // returns once the background fill is over too
  EXPECT_NO_THROW(answer.get());
  EXPECT_EQ(db->pool_stats().idle, 4);  // the pool's size, no overflow
  EXPECT_EQ(db->pool_stats().in_use, 0);
}

TEST(PostgresDatabase, ConnectsThroughAHostName) {
  // The test cluster listens on 127.0.0.1; "localhost" is looked up before libpq connects
  // (db/postgres/host_lookup), and the address it finds must be the one libpq uses.
  PgTestDatabase pg;
  std::string url = pg.url();
  const auto at = url.find("@127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << "the test cluster moved off 127.0.0.1";
  url.replace(at, 11, "@localhost:");
  const auto db = open_postgres({.conninfo = url, .ping_timeout = kPatientPing});
  EXPECT_TRUE(run_async(db->ping()));
  EXPECT_EQ(run_async(db->execute(kBackendPid, {})).rows.size(), 1U);
}

TEST(PostgresDatabase, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const auto db = open_postgres({.conninfo = "postgresql://nobody:secret@127.0.0.1:1/none"});
  EXPECT_FALSE(run_async(db->ping()));
  EXPECT_EQ(kind_of_failure([&] { run_async(db->execute(kCount, {})); }),
            DbError::Kind::unavailable);
}

std::int64_t open_connections(const Database& db) {
  const PoolStats stats = db.pool_stats();
  return stats.idle + stats.in_use;
}

// Ten pings at once on one io thread: their answers.
std::vector<bool> ping_together(Database& db, boost::asio::io_context& io) {
  std::vector<std::future<bool>> pending;
  for (int i = 0; i < 10; ++i) {
    pending.push_back(boost::asio::co_spawn(io, db.ping(), boost::asio::use_future));
  }
  io.restart();
  io.run();
  std::vector<bool> answers;
  for (auto& answer : pending) answers.push_back(answer.get());
  return answers;
}

TEST(PostgresDatabase, ConcurrentPingsShareOneRoundTrip) {
  PgTestDatabase pg;
  const auto db = open_postgres(
      {.conninfo = pg.url(), .pool_size = 1, .max_overflow = 9, .ping_timeout = kPatientPing});
  boost::asio::io_context io;
  EXPECT_EQ(ping_together(*db, io), std::vector<bool>(10, true));
  // Each on its own would have opened one of the nine overflow connections.
  EXPECT_EQ(open_connections(*db), 1);
  EXPECT_EQ(ping_together(*db, io), std::vector<bool>(10, true));  // and the next burst too
  EXPECT_EQ(open_connections(*db), 1);
}

TEST(PostgresDatabase, PingsSharingAFailedProbeAllFail) {
  const auto db = open_postgres({.conninfo = "postgresql://nobody:secret@127.0.0.1:1/none"});
  boost::asio::io_context io;
  EXPECT_EQ(ping_together(*db, io), std::vector<bool>(10, false));
}

TEST(PostgresDatabase, AParameterRefusedInATransactionKeepsTheConnection) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 1, .max_overflow = 0});
  // One io_context for the whole scenario: each has its own pool (postgres_database.hpp).
  auto scenario = [&]() -> boost::asio::awaitable<std::vector<std::int64_t>> {
    co_await db->execute(kCreate, {});
    const std::int64_t before = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    // The second statement's text holds a NUL, which PostgreSQL text cannot: refused while
    // the batch is put together, before anything is sent.
    std::vector<Statement> statements{{&kInsert, thing(kUuid, "a")},
                                      {&kInsert, thing(kUuid, std::string("b\0c", 3))}};
    std::int64_t refused = 0;
    try {
      co_await db->execute_in_transaction(std::move(statements));
    } catch (const DbError& e) {
      refused = e.kind() == DbError::Kind::other ? 1 : 0;
    }
    const std::int64_t after = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    const std::int64_t count = (co_await db->execute(kCount, {})).rows.at(0).integer(0);
    co_return std::vector<std::int64_t>{refused, after - before, count};
  };
  // Refused as `other`, the same server process afterwards, nothing committed.
  EXPECT_EQ(run_async(scenario()), (std::vector<std::int64_t>{1, 0, 0}));
}

TEST(PostgresDatabase, WaitersShareTheOneConnectionOfAPoolOfOne) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 1, .max_overflow = 0});
  boost::asio::io_context io;
  std::vector<std::future<Result>> results;
  for (int i = 0; i < 5; ++i) {
    results.push_back(
        boost::asio::co_spawn(io, db->execute(kBackendPid, {}), boost::asio::use_future));
  }
  io.run();
  std::set<std::int64_t> backends;
  for (auto& result : results) backends.insert(result.get().rows.at(0).integer(0));
  EXPECT_EQ(backends.size(), 1U);
}

// Two statements at once on a pool of one plus one overflow: the backends that served them.
std::set<std::int64_t> burst(Database& db, boost::asio::io_context& io) {
  std::vector<std::future<Result>> results;
  for (int i = 0; i < 2; ++i) {
    results.push_back(boost::asio::co_spawn(io, db.execute(kBusyPid, {}), boost::asio::use_future));
  }
  io.restart();
  io.run();
  std::set<std::int64_t> backends;
  for (auto& result : results) backends.insert(result.get().rows.at(0).integer(0));
  return backends;
}

TEST(PostgresDatabase, OverflowConnectionServesTheNextBurstInsteadOfANewOne) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 1, .max_overflow = 1});
  boost::asio::io_context io;
  const auto first = burst(*db, io);
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(db->pool_stats().idle, 2);
  EXPECT_EQ(burst(*db, io), first);  // no backend opened, none closed
}

TEST(PostgresDatabase, OverflowConnectionIdlePastItsTimeIsClosed) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(),
                                 .pool_size = 1,
                                 .max_overflow = 1,
                                 .spare_idle = std::chrono::milliseconds{50}});
  boost::asio::io_context io;
  ASSERT_EQ(burst(*db, io).size(), 2U);
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  boost::asio::co_spawn(io, db->execute(kBackendPid, {}), boost::asio::detached);
  io.restart();
  io.run();
  EXPECT_EQ(db->pool_stats().idle, 1);  // the spare went; the kept connection stays
  EXPECT_EQ(db->pool_stats().in_use, 0);
}

TEST(PostgresDatabase, FullPoolGivesUnavailableAfterTheWait) {
  PgTestDatabase pg;
  // The wait under test bounds a connect too: long enough for one on a loaded machine.
  const auto db = open_postgres({.conninfo = pg.url(),
                                 .pool_size = 1,
                                 .max_overflow = 0,
                                 .pre_ping = false,
                                 .acquire_timeout = std::chrono::seconds{2}});
  Session lock = hold_lock(pg.url(), 7);
  boost::asio::io_context io;
  auto first = boost::asio::co_spawn(io, db->execute(kBackendPid, {}), boost::asio::use_future);
  io.run();
  ASSERT_NO_THROW(first.get()) << "the only connection did not open";
  io.restart();
  // The holder waits for the lock, which goes only once the waiter has its answer: the pool
  // stays full for the whole wait, however slowly the machine gets there.
  auto holder = boost::asio::co_spawn(io, db->execute(kWaitForLock, {}), boost::asio::use_future);
  std::exception_ptr waited;
  boost::asio::co_spawn(io, db->execute(kBackendPid, {}), [&](std::exception_ptr error, Result) {
    waited = error;
    lock.reset();
  });
  io.run();
  EXPECT_NO_THROW(holder.get());
  EXPECT_EQ(kind_of_failure([&] {
              if (waited) std::rethrow_exception(waited);
            }),
            DbError::Kind::unavailable);
}

TEST(PostgresDatabase, StatementPastItsDeadlineIsUnavailableAndItsConnectionReplaced) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(),
                                 .pool_size = 1,
                                 .max_overflow = 0,
                                 // Long enough for the statements that must answer on a
                                 // loaded machine; the sleep goes far past it.
                                 .query_timeout = std::chrono::seconds{2}});
  auto scenario = [&]() -> boost::asio::awaitable<std::int64_t> {
    const std::int64_t first = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    try {
      co_await db->execute(kLongSleep, {});
      ADD_FAILURE() << "the statement should have timed out";
    } catch (const DbError& e) {
      EXPECT_EQ(e.kind(), DbError::Kind::unavailable);
    }
    const std::int64_t second = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    EXPECT_NE(first, second);
    co_return second;
  };
  run_async(scenario());
}

TEST(PostgresDatabase, ConnectionClosedByTheServerIsReplaced) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  auto scenario = [&]() -> boost::asio::awaitable<std::set<std::int64_t>> {
    const std::int64_t first = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    // Waits (up to 30 s) until that backend has exited.
    pg.run("SELECT pg_terminate_backend(" + std::to_string(first) + ", 30000)");
    const std::int64_t second = (co_await db->execute(kBackendPid, {})).rows.at(0).integer(0);
    co_return std::set<std::int64_t>{first, second};
  };
  EXPECT_EQ(run_async(scenario()).size(), 2U);
}

// Statements started at once on one io thread, in this order (the sleep's parameter is
// `sleep_seconds`); each one's outcome.
std::vector<std::future<Result>> together(Database& db, boost::asio::io_context& io,
                                          const std::vector<const Query*>& queries,
                                          std::int64_t sleep_seconds = 0) {
  std::vector<std::future<Result>> results;
  for (const Query* query : queries) {
    std::vector<Value> values;
    if (query == &kPipelinedTime) values = params(kStart);
    if (query == &kPipelinedSleep) values = params(sleep_seconds);
    results.push_back(
        boost::asio::co_spawn(io, db.execute(*query, std::move(values)), boost::asio::use_future));
  }
  io.restart();
  io.run();
  return results;
}

std::int64_t backend_of(std::future<Result>& result) {
  return result.get().rows.at(0).integer(0);
}

// A read-only statement while no pipeline is open yet leases a connection (the first one
// opens the pipeline): the tests below open it first.
std::int64_t open_pipeline(Database& db, boost::asio::io_context& io) {
  return backend_of(together(db, io, {&kPipelinedPid}).at(0));
}

TEST(PostgresPipeline, ReadsAtOnceShareOneBackendBesideTheLeasedOnes) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 4, .max_overflow = 2});
  boost::asio::io_context io;
  const std::int64_t pipeline = open_pipeline(*db, io);
  for (auto& read : together(*db, io, std::vector<const Query*>(10, &kPipelinedPid))) {
    EXPECT_EQ(backend_of(read), pipeline);
  }
  // A statement that is not read-only leases a connection of its own.
  auto leased = together(*db, io, {&kBackendPid});
  EXPECT_NE(backend_of(leased.at(0)), pipeline);
  EXPECT_EQ(open_connections(*db), 4);  // the pipeline holds one of the pool's four
}

TEST(PostgresPipeline, AFailedStatementFailsAloneAndTheOthersAnswer) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  const std::int64_t pipeline = open_pipeline(*db, io);
  auto reads = together(
      *db, io,
      {&kPipelinedPid, &kPipelinedBroken, &kPipelinedPid, &kPipelinedDivision, &kPipelinedPid});
  EXPECT_EQ(backend_of(reads[0]), pipeline);
  EXPECT_EQ(kind_of_failure([&] { reads[1].get(); }), DbError::Kind::other);
  EXPECT_EQ(backend_of(reads[2]), pipeline);
  EXPECT_EQ(kind_of_failure([&] { reads[3].get(); }), DbError::Kind::other);
  EXPECT_EQ(backend_of(reads[4]), pipeline);
}

TEST(PostgresPipeline, ResultsLargerThanTheSocketBuffersArriveWhole) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  const std::int64_t pipeline = open_pipeline(*db, io);
  auto reads = together(*db, io, {&kPipelinedLarge, &kPipelinedPid, &kPipelinedLarge});
  EXPECT_EQ(reads[0].get().rows.at(0).text(0), std::string(300000, 'x'));
  EXPECT_EQ(backend_of(reads[1]), pipeline);
  EXPECT_EQ(reads[2].get().rows.at(0).text(0), std::string(300000, 'x'));
}

TEST(PostgresPipeline, StatementsPreparedAtOnceAllGetTheParameterTypes) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  open_pipeline(*db, io);
  // The first prepares the statement; the others wait for its types (a timestamp is sent
  // as one only when the server said the parameter is one).
  for (auto& read : together(*db, io, std::vector<const Query*>(5, &kPipelinedTime))) {
    EXPECT_EQ(read.get().rows.at(0).integer(0), kStart);
  }
}

TEST(PostgresPipeline, StatementPastItsDeadlineFailsTheQueueAndThePipelineIsReplaced) {
  PgTestDatabase pg;
  // Long enough for the reads that must answer on a loaded machine; the sleep goes far past it.
  const auto db = open_postgres({.conninfo = pg.url(), .query_timeout = std::chrono::seconds{2}});
  boost::asio::io_context io;
  const std::int64_t before = open_pipeline(*db, io);
  together(*db, io, {&kPipelinedSleep}).at(0).get();  // prepared, so the next one queues first
  // The sleep holds the pipeline past its deadline; the read queued behind it fails too.
  auto stuck = together(*db, io, {&kPipelinedSleep, &kPipelinedPid}, 30);
  EXPECT_EQ(kind_of_failure([&] { stuck[0].get(); }), DbError::Kind::unavailable);
  EXPECT_EQ(kind_of_failure([&] { stuck[1].get(); }), DbError::Kind::unavailable);
  EXPECT_NE(open_pipeline(*db, io), before);
}

TEST(PostgresPipeline, AShortDeadlineBehindASlowReadFailsAlone) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  const std::int64_t before = open_pipeline(*db, io);
  together(*db, io, {&kPipelinedSleep}).at(0).get();  // prepared
  // A health check (750 ms to answer) queued behind a read that takes three seconds (ample
  // for its timer to fire first on a loaded machine): it gives up, the read behind which it
  // waited does not, nor does the read queued after it.
  auto slow = boost::asio::co_spawn(io, db->execute(kPipelinedSleep, params(std::int64_t{3})),
                                    boost::asio::use_future);
  auto ping = boost::asio::co_spawn(io, db->ping(), boost::asio::use_future);
  auto after = boost::asio::co_spawn(io, db->execute(kPipelinedPid, {}), boost::asio::use_future);
  io.restart();
  io.run();
  EXPECT_FALSE(ping.get());
  EXPECT_EQ(slow.get().rows.size(), 1U);
  EXPECT_EQ(backend_of(after), before);
  EXPECT_EQ(open_pipeline(*db, io), before);  // the same pipeline, still in step
  auto again = boost::asio::co_spawn(io, db->ping(), boost::asio::use_future);
  io.restart();
  io.run();
  EXPECT_TRUE(again.get());  // down that pipeline: no connect within the ping's deadline
}

TEST(PostgresPipeline, PipelineClosedByTheServerIsReplaced) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  const std::int64_t first = open_pipeline(*db, io);
  // Waits (up to 30 s) until that backend has exited.
  pg.run("SELECT pg_terminate_backend(" + std::to_string(first) + ", 30000)");
  EXPECT_NE(open_pipeline(*db, io), first);
}

TEST(PostgresPipeline, PlansItsStatementsOnceLeasedConnectionsAsTheServerChooses) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  open_pipeline(*db, io);
  auto modes = together(*db, io, {&kPipelinedPlanMode, &kLeasedPlanMode});
  EXPECT_EQ(modes[0].get().rows.at(0).text(0), "force_generic_plan");
  EXPECT_EQ(modes[1].get().rows.at(0).text(0), "auto");
}

TEST(PostgresPipeline, APoolOfOneLeasesItsOnlyConnectionInstead) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url(), .pool_size = 1, .max_overflow = 0});
  boost::asio::io_context io;
  const std::int64_t read = open_pipeline(*db, io);
  // A write after it still finds a connection, the same: the read kept no slot for itself.
  EXPECT_EQ(backend_of(together(*db, io, {&kBackendPid}).at(0)), read);
  EXPECT_EQ(db->pool_stats().in_use, 0);
}

constexpr Query kStatementTimeout{"test_statement_timeout",
                                  "SELECT current_setting('statement_timeout')"};
constexpr Query kPipelinedStatementTimeout{"test_pipelined_statement_timeout",
                                           "SELECT current_setting('statement_timeout')",
                                           {},
                                           kReadOnly};

TEST(PostgresDatabase, TheServerStopsAStatementWhenGatehouseStopsWaiting) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  boost::asio::io_context io;
  auto limits = together(*db, io, {&kStatementTimeout, &kPipelinedStatementTimeout});
  // query_timeout's default and a second: gatehouse gives up first, the server soon after.
  EXPECT_EQ(limits[0].get().rows.at(0).text(0), "11s");
  EXPECT_EQ(limits[1].get().rows.at(0).text(0), "11s");

  // Abandoned after 300 ms, stopped by the server at 1.3 s: without the server's own
  // limit, its backend would sleep on for 30 s.
  const auto impatient =
      open_postgres({.conninfo = pg.url(), .query_timeout = std::chrono::milliseconds{300}});
  EXPECT_EQ(kind_of_failure([&] { run_async(impatient->execute(kLongSleep, {})); }),
            DbError::Kind::unavailable);
  constexpr Query kSleeping{"test_sleeping",
                            "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
                            "AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid() "
                            "AND datname = current_database()"};  // not another test's
  std::int64_t sleeping = 1;
  // Up to 30 s: the server is due to stop it at 1.3 s, later on a loaded machine.
  for (int tries = 0; sleeping != 0 && tries < 300; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    sleeping = run_async(db->execute(kSleeping, {})).rows.at(0).integer(0);
  }
  EXPECT_EQ(sleeping, 0) << "the abandoned statement still runs on the server";
}

TEST(PostgresDatabase, TheOperatorsServerOptionsWin) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url() + "?options=-c%20statement_timeout%3D7000"});
  EXPECT_EQ(run_async(db->execute(kStatementTimeout, {})).rows.at(0).text(0), "7s");
  // An empty one sends none at all, for poolers that refuse the startup option.
  const auto bare = open_postgres({.conninfo = pg.url() + "?options="});
  EXPECT_EQ(run_async(bare->execute(kStatementTimeout, {})).rows.at(0).text(0), "0");
}

TEST(PostgresDatabase, AMigrationGetsAnHour) {
  PgTestDatabase pg;
  const auto db = open_postgres({.conninfo = pg.url()});
  run_async(db->execute_script(
      "CREATE TABLE seen AS SELECT current_setting('statement_timeout') AS limit_text", {}));
  constexpr Query kSeen{"test_seen", "SELECT limit_text FROM seen"};
  EXPECT_EQ(run_async(db->execute(kSeen, {})).rows.at(0).text(0), "1h");
  // The longer limit was the migration's alone.
  EXPECT_EQ(run_async(db->execute(kStatementTimeout, {})).rows.at(0).text(0), "11s");
}

}  // namespace
}  // namespace gh::db
