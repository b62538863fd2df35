#include "db/migrator.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db/params.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "run_async.hpp"
#include "temp_path.hpp"

namespace gh::db {
namespace {

using test::run_async;
using test::TempPath;

constexpr Query kTableExists{
    "test_table_exists", "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = $1"};
constexpr Query kRecordedMigrations{"test_recorded_migrations",
                                    "SELECT version, name, applied_at FROM schema_migrations"};
constexpr Query kRecordFutureMigration{
    "test_record_future_migration",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from_the_future', 1)"};

bool table_exists(Database& db, const std::string& name) {
  return run_async(db.execute(kTableExists, params(name))).rows.at(0).integer(0) == 1;
}

class MigratorTest : public ::testing::Test {
 protected:
  SqliteDatabase db_{{.path = ":memory:"}};
  Migrator migrator_{db_, embedded_migrations(Dialect::sqlite)};
};

TEST(EmbeddedMigrations, SqliteHoldsUsersThenSessions) {
  const auto& migrations = embedded_migrations(Dialect::sqlite);
  ASSERT_GE(migrations.size(), 2U);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "create_users");
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[1].name, "create_sessions");
  for (const Migration& m : migrations) {  // every step can be undone
    EXPECT_NE(m.up.find("CREATE "), std::string::npos) << m.name;
    EXPECT_NE(m.down.find("DROP "), std::string::npos) << m.name;
  }
}

TEST(EmbeddedMigrations, EveryDialectIsOrderedByVersion) {
  for (Dialect dialect : {Dialect::sqlite, Dialect::postgres}) {
    const auto& migrations = embedded_migrations(dialect);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
      EXPECT_LT(migrations[i - 1].version, migrations[i].version);
    }
  }
}

TEST_F(MigratorTest, FreshDatabaseHasEverythingPending) {
  const auto expected = static_cast<int>(embedded_migrations(Dialect::sqlite).size());
  EXPECT_EQ(run_async(migrator_.pending_count()), expected);
  for (const MigrationStatus& s : run_async(migrator_.status())) EXPECT_FALSE(s.applied);
}

TEST_F(MigratorTest, UpAppliesInOrderAndRecordsEachStep) {
  const auto expected = static_cast<int>(embedded_migrations(Dialect::sqlite).size());
  EXPECT_EQ(run_async(migrator_.up()), expected);
  EXPECT_TRUE(table_exists(db_, "users"));
  EXPECT_TRUE(table_exists(db_, "sessions"));
  EXPECT_EQ(run_async(migrator_.pending_count()), 0);
  const auto statuses = run_async(migrator_.status());
  ASSERT_EQ(statuses.size(), static_cast<std::size_t>(expected));
  EXPECT_EQ(statuses[0].name, "create_users");
  for (const MigrationStatus& s : statuses) EXPECT_TRUE(s.applied);
  const Result recorded = run_async(db_.execute(kRecordedMigrations, {}));
  ASSERT_EQ(recorded.rows.size(), static_cast<std::size_t>(expected));
  EXPECT_EQ(recorded.rows[0].text(1), "create_users");
  EXPECT_GT(recorded.rows[0].integer(2), 0);
}

TEST_F(MigratorTest, UpTwiceAppliesNothingTheSecondTime) {
  run_async(migrator_.up());
  EXPECT_EQ(run_async(migrator_.up()), 0);
}

TEST_F(MigratorTest, DownRevertsTheLastSteps) {
  const int all = run_async(migrator_.up());
  ASSERT_GE(all, 2);
  EXPECT_EQ(run_async(migrator_.down(all - 1)), all - 1);  // all but create_users
  EXPECT_FALSE(table_exists(db_, "sessions"));
  EXPECT_TRUE(table_exists(db_, "users"));
  EXPECT_EQ(run_async(migrator_.pending_count()), all - 1);
  const auto statuses = run_async(migrator_.status());
  EXPECT_TRUE(statuses.at(0).applied);
  EXPECT_FALSE(statuses.at(1).applied);
  EXPECT_EQ(run_async(migrator_.up()), all - 1);
  EXPECT_TRUE(table_exists(db_, "sessions"));
}

// 0003 adds the client columns and indexes to sessions; its down takes them away again and
// leaves the table (and its rows) as 0002 made it.
TEST_F(MigratorTest, SessionDetailsComeAndGoWithTheirMigration) {
  constexpr Query kClientColumns{"test_client_columns", "SELECT ip, user_agent FROM sessions"};
  run_async(migrator_.up());
  EXPECT_NO_THROW(run_async(db_.execute(kClientColumns, {})));
  const auto statuses = run_async(migrator_.status());
  ASSERT_GE(statuses.size(), 3u);
  EXPECT_EQ(statuses.at(2).name, "session_details");
  EXPECT_EQ(run_async(migrator_.down(static_cast<int>(statuses.size()) - 2)),
            static_cast<int>(statuses.size()) - 2);
  EXPECT_TRUE(table_exists(db_, "sessions"));
  EXPECT_THROW(run_async(db_.execute(kClientColumns, {})), DbError);
  run_async(migrator_.up());
  EXPECT_NO_THROW(run_async(db_.execute(kClientColumns, {})));
}

TEST_F(MigratorTest, DownStopsWhenNothingIsLeft) {
  const int applied = run_async(migrator_.up());
  EXPECT_EQ(run_async(migrator_.down(0)), 0);
  EXPECT_EQ(run_async(migrator_.down(applied + 5)), applied);
  EXPECT_FALSE(table_exists(db_, "users"));
  EXPECT_EQ(run_async(migrator_.down(1)), 0);
  EXPECT_EQ(run_async(migrator_.up()), applied);  // the down scripts left a clean slate
}

TEST_F(MigratorTest, RefusesADatabaseNewerThanTheBinary) {
  run_async(migrator_.up());
  run_async(db_.execute(kRecordFutureMigration, {}));
  try {
    run_async(migrator_.up());
    FAIL() << "expected the migrator to refuse";
  } catch (const DbError& error) {
    EXPECT_EQ(error.kind(), DbError::Kind::other);
    EXPECT_NE(std::string{error.what()}.find("99"), std::string::npos) << error.what();
  }
  EXPECT_THROW(run_async(migrator_.status()), DbError);
  EXPECT_THROW(run_async(migrator_.pending_count()), DbError);
  EXPECT_THROW(run_async(migrator_.down(1)), DbError);
  EXPECT_TRUE(table_exists(db_, "sessions"));
}

TEST_F(MigratorTest, FailedMigrationLeavesNoTrace) {
  const std::vector<Migration> migrations{
      {1, "half_done", "CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);", "DROP TABLE a;"}};
  Migrator migrator{db_, migrations};
  EXPECT_THROW(run_async(migrator.up()), DbError);
  EXPECT_FALSE(table_exists(db_, "a"));
  EXPECT_EQ(run_async(migrator.pending_count()), 1);
}

TEST_F(MigratorTest, AppliesByVersionWhateverTheListOrder) {
  const std::vector<Migration> migrations{
      {2, "fill", "INSERT INTO a VALUES (1);", "DELETE FROM a;"},
      {1, "create", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"},
  };
  Migrator migrator{db_, migrations};
  EXPECT_EQ(run_async(migrator.up()), 2);
  const auto statuses = run_async(migrator.status());
  EXPECT_EQ(statuses.at(0).version, 1);
  EXPECT_EQ(run_async(migrator.down(2)), 2);
  EXPECT_FALSE(table_exists(db_, "a"));
}

TEST(Migrator, StateSurvivesReopening) {
  TempPath file;
  {
    SqliteDatabase db{{.path = file.str()}};
    Migrator migrator{db, embedded_migrations(Dialect::sqlite)};
    run_async(migrator.up());
  }
  SqliteDatabase db{{.path = file.str()}};
  Migrator migrator{db, embedded_migrations(Dialect::sqlite)};
  EXPECT_EQ(run_async(migrator.pending_count()), 0);
}

}  // namespace
}  // namespace gh::db
