#include "db/sqlite/sqlite_database.hpp"

#include "db/sqlite/connection.hpp"
#include "db/sqlite/errors.hpp"
#include "db/sqlite/group_commit.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <fstream>
#include <thread>

#include "db/params.hpp"
#include "db/sqlite/placeholders.hpp"
#include "run_async.hpp"
#include "temp_path.hpp"

namespace gh::db {
namespace {

using boost::asio::awaitable;
using test::run_async;
using test::TempPath;

constexpr Query kCreateItems{
    "test_create_items",
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, note TEXT, "
    "CHECK (length(name) > 0))"};
constexpr Query kInsertItem{"test_insert_item",
                            "INSERT INTO items (id, name, note) VALUES ($1, $2, $3)"};
constexpr Query kCountItems{"test_count_items", "SELECT COUNT(*) FROM items"};
constexpr Query kSetNotes{"test_set_notes", "UPDATE items SET note = $1"};
constexpr Query kDeleteItem{"test_delete_item", "DELETE FROM items WHERE id = $1"};
constexpr Query kSelectSwapped{"test_select_swapped", "SELECT $2, $1, $2"};
constexpr Query kSelectKinds{"test_select_kinds", "SELECT 7, 'text', NULL, 1.5, x'414243'"};

Result exec(Database& db, const Query& query, std::vector<Value> values = {}) {
  return run_async(db.execute(query, std::move(values)));
}

std::int64_t count_items(Database& db) {
  return exec(db, kCountItems).rows.at(0).integer(0);
}

DbError::Kind error_kind_of(Database& db, const Query& query, std::vector<Value> values) {
  try {
    exec(db, query, std::move(values));
  } catch (const DbError& error) {
    return error.kind();
  }
  ADD_FAILURE() << query.name << " did not throw";
  return DbError::Kind::other;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { exec(db_, kCreateItems); }

  TempPath file_;
  // Every ping looks at the disk, so a test sees a damage at the next one.
  SqliteDatabase db_{
      {.path = file_.str(), .threads = 4, .deep_probe_every = std::chrono::milliseconds{0}}};
};

TEST(SqlitePlaceholders, RewritesDollarNumbersOutsideLiteralsAndComments) {
  EXPECT_EQ(sqlite::rewrite_placeholders("SELECT $1, $2 FROM t WHERE a = $10"),
            "SELECT ?1, ?2 FROM t WHERE a = ?10");
  EXPECT_EQ(sqlite::rewrite_placeholders("SELECT '$1', \"$2\", [$3], `$4`, $5"),
            "SELECT '$1', \"$2\", [$3], `$4`, ?5");
  EXPECT_EQ(sqlite::rewrite_placeholders("SELECT 'it''s $1' || $2"), "SELECT 'it''s $1' || ?2");
  EXPECT_EQ(sqlite::rewrite_placeholders("SELECT $1 -- $2\n, /* $3 */ $4"),
            "SELECT ?1 -- $2\n, /* $3 */ ?4");
  EXPECT_EQ(sqlite::rewrite_placeholders("SELECT $name, $ , 'open $1"),
            "SELECT $name, $ , 'open $1");
}

TEST_F(SqliteDatabaseTest, BindsPlaceholdersByNumberNotByOrder) {
  const Result result = exec(db_, kSelectSwapped, params("first", std::int64_t{2}));
  ASSERT_EQ(result.rows.size(), 1U);
  EXPECT_EQ(result.rows[0].integer(0), 2);
  EXPECT_EQ(result.rows[0].text(1), "first");
  EXPECT_EQ(result.rows[0].integer(2), 2);
}

TEST_F(SqliteDatabaseTest, ReadsEveryColumnType) {
  const Row row = exec(db_, kSelectKinds).rows.at(0);
  EXPECT_EQ(row.integer(0), 7);
  EXPECT_EQ(row.text(1), "text");
  EXPECT_TRUE(row.is_null(2));
  EXPECT_EQ(row.text(3), "1.5");
  EXPECT_EQ(row.text(4), "ABC");
}

TEST_F(SqliteDatabaseTest, ReportsAffectedRowsOnlyForWrites) {
  EXPECT_EQ(exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{})).affected_rows, 1);
  EXPECT_EQ(exec(db_, kInsertItem, params(std::int64_t{2}, "b", "x")).affected_rows, 1);
  EXPECT_EQ(exec(db_, kSetNotes, params("y")).affected_rows, 2);
  EXPECT_EQ(exec(db_, kCountItems).affected_rows, 0);
  EXPECT_EQ(exec(db_, kDeleteItem, params(std::int64_t{9})).affected_rows, 0);
  EXPECT_EQ(exec(db_, kDeleteItem, params(std::int64_t{1})).affected_rows, 1);
}

TEST(SqliteErrors, ADamagedFileIsTheDatabaseNotAnswering) {
  for (int code : {SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR_READ, SQLITE_BUSY})
    EXPECT_EQ(sqlite::error_kind(code), DbError::Kind::unavailable) << code;
  EXPECT_EQ(sqlite::error_kind(SQLITE_ERROR), DbError::Kind::other);
}

TEST_F(SqliteDatabaseTest, MapsUniqueAndPrimaryKeyConflictsToUniqueViolation) {
  exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  EXPECT_EQ(error_kind_of(db_, kInsertItem, params(std::int64_t{2}, "a", Value{})),
            DbError::Kind::unique_violation);
  EXPECT_EQ(error_kind_of(db_, kInsertItem, params(std::int64_t{1}, "b", Value{})),
            DbError::Kind::unique_violation);
}

TEST_F(SqliteDatabaseTest, MapsOtherFailuresToOther) {
  constexpr Query kBadSyntax{"test_bad_syntax", "SELEC 1"};
  constexpr Query kNoTable{"test_no_table", "SELECT * FROM missing"};
  EXPECT_EQ(error_kind_of(db_, kInsertItem, params(std::int64_t{1}, Value{}, Value{})),
            DbError::Kind::other);  // NOT NULL
  EXPECT_EQ(error_kind_of(db_, kInsertItem, params(std::int64_t{1}, "", Value{})),
            DbError::Kind::other);  // CHECK
  EXPECT_EQ(error_kind_of(db_, kBadSyntax, {}), DbError::Kind::other);
  EXPECT_EQ(error_kind_of(db_, kNoTable, {}), DbError::Kind::other);
}

TEST_F(SqliteDatabaseTest, RefusesWrongParameterCount) {
  EXPECT_EQ(error_kind_of(db_, kInsertItem, params(std::int64_t{1}, "a")), DbError::Kind::other);
  EXPECT_EQ(count_items(db_), 0);
}

TEST_F(SqliteDatabaseTest, RefusesQueriesHoldingSeveralStatements) {
  constexpr Query kTwo{"test_two_statements", "SELECT 1; SELECT 2"};
  EXPECT_EQ(error_kind_of(db_, kTwo, {}), DbError::Kind::other);
}

TEST_F(SqliteDatabaseTest, RefusesTwoQueriesWithOneName) {
  constexpr Query kFirst{"test_same_name", "SELECT 1"};
  constexpr Query kSecond{"test_same_name", "SELECT 2"};
  SqliteDatabase single{{.path = file_.str(), .threads = 1}};
  exec(single, kFirst);
  EXPECT_EQ(error_kind_of(single, kSecond, {}), DbError::Kind::other);
}

TEST_F(SqliteDatabaseTest, TransactionAppliesEveryStatement) {
  std::vector<Statement> statements{
      {&kInsertItem, params(std::int64_t{1}, "a", Value{})},
      {&kInsertItem, params(std::int64_t{2}, "b", Value{})},
      {&kCountItems, {}},
  };
  const auto results = run_async(db_.execute_in_transaction(std::move(statements)));
  ASSERT_EQ(results.size(), 3U);
  EXPECT_EQ(results[0].affected_rows, 1);
  EXPECT_EQ(results[2].rows.at(0).integer(0), 2);
}

// An audit event's INSERT goes with a change that may not happen: it runs exactly when the
// statement it names changed a row.
TEST_F(SqliteDatabaseTest, AStatementOnlyIfAnotherChangedRunsExactlyWhenItDid) {
  std::vector<Statement> statements{
      {&kDeleteItem, params(std::int64_t{99})},  // no such row: changes nothing
      {&kInsertItem, params(std::int64_t{1}, "skipped", Value{}), 0},
      {&kInsertItem, params(std::int64_t{2}, "b", Value{})},
      {&kInsertItem, params(std::int64_t{3}, "runs", Value{}), 2},
      {&kCountItems, {}},
  };
  const auto results = run_async(db_.execute_in_transaction(std::move(statements)));
  EXPECT_EQ(results[1].affected_rows, 0);
  EXPECT_EQ(results[3].affected_rows, 1);
  EXPECT_EQ(results[4].rows.at(0).integer(0), 2);
}

TEST_F(SqliteDatabaseTest, TransactionRollsBackOnErrorAndRethrows) {
  std::vector<Statement> statements{
      {&kInsertItem, params(std::int64_t{1}, "a", Value{})},
      {&kInsertItem, params(std::int64_t{2}, "a", Value{})},
  };
  try {
    run_async(db_.execute_in_transaction(std::move(statements)));
    FAIL() << "expected a unique violation";
  } catch (const DbError& error) {
    EXPECT_EQ(error.kind(), DbError::Kind::unique_violation);
  }
  EXPECT_EQ(count_items(db_), 0);
}

// Group commit: one transaction's failure is its own; the others of its batch commit.
TEST_F(SqliteDatabaseTest, ABatchCommitsEveryTransactionButTheOneThatFailed) {
  auto c = sqlite::Connection::open(file_.str(), 5000);
  std::vector<std::pair<std::exception_ptr, std::vector<Result>>> answers(3);
  std::vector<sqlite::PendingTransaction> batch;
  const std::vector<std::vector<Statement>> work{
      {{&kInsertItem, params(std::int64_t{1}, "a", Value{})}},
      {{&kInsertItem, params(std::int64_t{2}, "b", Value{})},
       {&kInsertItem, params(std::int64_t{3}, "a", Value{})}},  // "a" is taken: all of it goes
      {{&kInsertItem, params(std::int64_t{4}, "c", Value{})}, {&kCountItems, {}}},
  };
  for (std::size_t i = 0; i < work.size(); ++i)
    batch.push_back({work[i], [&answers, i](std::exception_ptr e, std::vector<Result> r) {
                       answers[i] = {e, std::move(r)};
                     }});
  sqlite::commit_together(*c, batch);
  EXPECT_FALSE(answers[0].first);
  ASSERT_TRUE(answers[1].first);
  EXPECT_THROW(std::rethrow_exception(answers[1].first), DbError);
  EXPECT_FALSE(answers[2].first);
  EXPECT_EQ(answers[2].second.at(1).rows.at(0).integer(0), 2) << "1 and 4, not 2";
  EXPECT_EQ(count_items(db_), 2);
  EXPECT_FALSE(c->in_transaction());
}

// Many writers at once, every other one failing: each gets its own answer, as if alone.
TEST_F(SqliteDatabaseTest, ConcurrentTransactionsGetTheirOwnAnswers) {
  exec(db_, kInsertItem, params(std::int64_t{0}, "taken", Value{}));
  boost::asio::io_context io;
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  for (int i = 1; i <= 200; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> awaitable<void> {
          const std::string name = i % 2 ? "taken" : "item-" + std::to_string(i);
          std::vector<Statement> statements{
              {&kInsertItem, params(std::int64_t{1000 + i}, "first-" + std::to_string(i), Value{})},
              {&kInsertItem, params(std::int64_t{i}, name, Value{})}};
          try {
            co_await db_.execute_in_transaction(std::move(statements));
            ++ok;
          } catch (const DbError& e) {
            if (e.kind() == DbError::Kind::unique_violation) ++refused;
          }
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(refused, 100);
  EXPECT_EQ(count_items(db_), 1 + 2 * 100) << "a refused transaction leaves nothing behind";
}

TEST(SqliteDatabase, ConnectionIsCleanAfterARolledBackTransaction) {
  SqliteDatabase db{{.path = ":memory:"}};
  exec(db, kCreateItems);
  std::vector<Statement> failing{{&kInsertItem, params(std::int64_t{1}, "a", Value{})},
                                 {&kInsertItem, params(std::int64_t{1}, "b", Value{})}};
  EXPECT_THROW(run_async(db.execute_in_transaction(std::move(failing))), DbError);
  std::vector<Statement> next{{&kInsertItem, params(std::int64_t{1}, "a", Value{})}};
  run_async(db.execute_in_transaction(std::move(next)));
  EXPECT_EQ(count_items(db), 1);
}

TEST_F(SqliteDatabaseTest, ScriptAndStatementsCommitTogether) {
  std::vector<Statement> then{{&kInsertItem, params(std::int64_t{1}, "a", Value{})}};
  run_async(db_.execute_script("CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1);",
                               std::move(then)));
  constexpr Query kCountExtra{"test_count_extra", "SELECT COUNT(*) FROM extra"};
  EXPECT_EQ(exec(db_, kCountExtra).rows.at(0).integer(0), 1);
  EXPECT_EQ(count_items(db_), 1);
}

TEST_F(SqliteDatabaseTest, ScriptRollsBackWhenAStatementFails) {
  exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  std::vector<Statement> then{{&kInsertItem, params(std::int64_t{1}, "again", Value{})}};
  EXPECT_THROW(run_async(db_.execute_script("CREATE TABLE extra (x INTEGER);", std::move(then))),
               DbError);
  constexpr Query kExtraExists{"test_extra_exists",
                               "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'extra'"};
  EXPECT_EQ(exec(db_, kExtraExists).rows.at(0).integer(0), 0);
}

TEST_F(SqliteDatabaseTest, ScriptErrorsAreDbErrors) {
  EXPECT_THROW(run_async(db_.execute_script("CREATE TABLE items (x INTEGER);", {})), DbError);
}

TEST_F(SqliteDatabaseTest, ConnectionsUseWalAndForeignKeys) {
  constexpr Query kJournal{"test_journal_mode", "PRAGMA journal_mode"};
  constexpr Query kForeignKeys{"test_foreign_keys", "PRAGMA foreign_keys"};
  EXPECT_EQ(exec(db_, kJournal).rows.at(0).text(0), "wal");
  EXPECT_EQ(exec(db_, kForeignKeys).rows.at(0).integer(0), 1);
}

TEST_F(SqliteDatabaseTest, PingAnswers) {
  EXPECT_TRUE(run_async(db_.ping()));
}

// Bytes of the file replaced behind SQLite's back, as a failing disk or a stray writer would.
void overwrite(const std::string& path, std::int64_t offset, std::size_t size) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(offset);
  const std::string junk(size, '\xa5');
  file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

// Another connection copies the WAL into the file and empties it, so reads go to the file.
void checkpoint(const std::string& path) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(other, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(other);
}

TEST_F(SqliteDatabaseTest, PingFailsOnAHeaderOverwrittenOnTheDisk) {
  exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  ASSERT_TRUE(run_async(db_.ping()));
  // Page 1 is still in the WAL, where SQLite would read it from.
  overwrite(file_.str(), 0, 100);
  EXPECT_FALSE(run_async(db_.ping()));
}

TEST_F(SqliteDatabaseTest, PingReadsTheFileNotPagesItReadBefore) {
  exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  checkpoint(file_.str());
  ASSERT_TRUE(run_async(db_.ping()));  // the schema and the table's page are cached now
  overwrite(file_.str(), 100, 4000);   // page 1 after the header: the schema's root
  EXPECT_FALSE(run_async(db_.ping()));
}

TEST_F(SqliteDatabaseTest, PingFailsOnATablesDamagedPage) {
  constexpr Query kRoot{"test_items_root",
                        "SELECT rootpage, (SELECT page_size FROM pragma_page_size()) "
                        "FROM sqlite_master WHERE name = 'items'"};
  exec(db_, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  const Row root = exec(db_, kRoot).rows.at(0);
  checkpoint(file_.str());
  ASSERT_TRUE(run_async(db_.ping()));
  overwrite(file_.str(), (root.integer(0) - 1) * root.integer(1), 64);
  EXPECT_FALSE(run_async(db_.ping()));
}

// Between deep looks a ping reads only the header: a damaged header is seen at once, a
// damaged table page at the next deep look (at most deep_probe_every later).
TEST(SqliteDatabase, PingReadsTheTablesAtMostOncePerInterval) {
  TempPath file;
  SqliteDatabase db{{.path = file.str(), .threads = 1, .deep_probe_every = std::chrono::hours{1}}};
  exec(db, kCreateItems);
  exec(db, kInsertItem, params(std::int64_t{1}, "a", Value{}));
  checkpoint(file.str());
  ASSERT_TRUE(run_async(db.ping()));
  overwrite(file.str(), 100, 4000);
  EXPECT_TRUE(run_async(db.ping())) << "the tables were read less than an hour ago";
  overwrite(file.str(), 0, 100);
  EXPECT_FALSE(run_async(db.ping())) << "the header is read at every ping";
}

TEST(SqliteDatabase, PingAnswersForAMemoryDatabase) {
  auto db = open_sqlite({.path = ":memory:"});
  exec(*db, kCreateItems);
  EXPECT_TRUE(run_async(db->ping()));
}

TEST(SqliteDatabase, MemoryDatabaseIsOneDatabaseForEveryQuery) {
  auto db = open_sqlite({.path = ":memory:", .threads = 8});
  exec(*db, kCreateItems);
  boost::asio::io_context io;
  for (std::int64_t i = 0; i < 20; ++i) {
    boost::asio::co_spawn(io, db->execute(kInsertItem, params(i, std::to_string(i), Value{})),
                          boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(count_items(*db), 20);
}

TEST(SqliteDatabase, ANewDatabaseFileIsItsOwnersAlone) {
  TempPath file;
  auto db = open_sqlite({.path = file.str()});
  exec(*db, kCreateItems);
  struct stat info {};
  ASSERT_EQ(::stat(file.str().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);  // password hashes live here
}

TEST(SqliteDatabase, UnopenableFileIsUnavailable) {
  TempPath missing_dir{""};
  const std::string path = (missing_dir.path() / "gatehouse.db").string();
  try {
    open_sqlite({.path = path});
    FAIL() << "expected DbError";
  } catch (const DbError& error) {
    EXPECT_EQ(error.kind(), DbError::Kind::unavailable);
  }
}

TEST(SqliteDatabase, FileThatIsNotADatabaseIsUnavailable) {
  TempPath file;
  std::ofstream{file.path()} << "this is not a database file, not at all, but long enough";
  try {
    open_sqlite({.path = file.str()});
    FAIL() << "expected DbError";
  } catch (const DbError& error) {
    EXPECT_EQ(error.kind(), DbError::Kind::unavailable);
  }
}

TEST_F(SqliteDatabaseTest, LockHeldPastBusyTimeoutIsUnavailable) {
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file_.str().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  SqliteDatabase impatient{{.path = file_.str(), .threads = 1, .busy_timeout_ms = 50}};
  EXPECT_EQ(error_kind_of(impatient, kInsertItem, params(std::int64_t{1}, "a", Value{})),
            DbError::Kind::unavailable);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

// Read, then write, in one transaction, from many coroutines at once: the pattern that
// fails with SQLITE_BUSY under deferred transactions.
awaitable<void> insert_after_reading(Database& db, std::int64_t first, int count) {
  for (std::int64_t id = first; id < first + count; ++id) {
    std::vector<Statement> statements{{&kCountItems, {}},
                                      {&kInsertItem, params(id, std::to_string(id), Value{})}};
    co_await db.execute_in_transaction(std::move(statements));
  }
}

int run_writers(Database& db, std::int64_t first, int writers, int each) {
  boost::asio::io_context io;
  std::atomic<int> failures{0};
  for (int w = 0; w < writers; ++w) {
    boost::asio::co_spawn(io, insert_after_reading(db, first + w * each, each),
                          [&failures](std::exception_ptr error) {
                            if (error) ++failures;
                          });
  }
  io.run();
  return failures;
}

TEST_F(SqliteDatabaseTest, ConcurrentWritersWaitInsteadOfFailing) {
  SqliteDatabase other_process{{.path = file_.str(), .threads = 3}};
  std::atomic<int> other_failures{0};
  std::thread other{[&] { other_failures = run_writers(other_process, 100'000, 8, 25); }};
  const int failures = run_writers(db_, 0, 8, 25);
  other.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(other_failures, 0);
  EXPECT_EQ(count_items(db_), 2 * 8 * 25);
}

}  // namespace
}  // namespace gh::db
