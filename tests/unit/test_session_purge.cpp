// One run of the session purge: batches until nothing old is left, and what /metrics reads.
#include "jobs/purge.hpp"

#include <gtest/gtest.h>

#include "core/uuid.hpp"
#include "db/migrator.hpp"
#include "db/session_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "run_async.hpp"

namespace gh::jobs {
namespace {

using test::run_async;

constexpr std::int64_t kDay = 86'400'000'000;
constexpr db::Query kCount{"test_count_sessions", "SELECT COUNT(*) FROM sessions"};

class SessionPurgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db::Migrator migrator{*db_, db::embedded_migrations(db::Dialect::sqlite)};
    run_async(migrator.up());
    db::UserRepository users{*db_};
    run_async(users.insert({.id = user_,
                            .email = "ann@example.com",
                            .password_hash = "hash",
                            .role = models::Role::user,
                            .is_active = true,
                            .created_at = clock_.now_micros(),
                            .updated_at = clock_.now_micros()}));
  }

  // `n` sessions that expired `days_ago`.
  void add_expired(int n, std::int64_t days_ago) {
    for (int i = 0; i < n; ++i) {
      const std::int64_t expired = clock_.now_micros() - days_ago * kDay;
      run_async(sessions_.insert({.id = uuid::v7(expired - kDay + i),
                                  .user_id = user_,
                                  .refresh_hash = "h",
                                  .created_at = expired - kDay,
                                  .expires_at = expired,
                                  .revoked_at = std::nullopt}));
    }
  }

  std::int64_t count() { return run_async(db_->execute(kCount, {})).rows.at(0).integer(0); }

  ManualClock clock_;
  std::string user_ = uuid::v7(clock_.now_micros());
  std::unique_ptr<db::Database> db_ = db::open_sqlite({.path = ":memory:", .threads = 1});
  db::SessionRepository sessions_{*db_};
  PurgeStats stats_;
  Purge purge_{"sessions",
               [this](std::int64_t cutoff, std::int64_t limit) {
                 return sessions_.purge_ended(cutoff, limit);
               },
               clock_,
               PurgeOptions{.interval = std::chrono::seconds(1),
                            .retention_micros = 30 * kDay,
                            .batch = 4,
                            .pause = std::chrono::milliseconds(1)},
               stats_};
};

TEST_F(SessionPurgeTest, ARunDeletesEverySessionPastTheRetentionBatchAfterBatch) {
  add_expired(10, 31);  // two and a half batches
  add_expired(3, 29);   // within the retention
  EXPECT_EQ(run_async(purge_.run_once()), 10);
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(stats_.purged.load(), 10u);
  EXPECT_EQ(stats_.last_success_seconds.load(), clock_.now_seconds());
}

TEST_F(SessionPurgeTest, ALaterRunTakesWhatHasAgedSince) {
  add_expired(3, 29);
  EXPECT_EQ(run_async(purge_.run_once()), 0);
  EXPECT_EQ(stats_.last_success_seconds.load(), clock_.now_seconds());
  clock_.advance_seconds(2 * 86400);
  EXPECT_EQ(run_async(purge_.run_once()), 3);
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(stats_.purged.load(), 3u);
}

TEST_F(SessionPurgeTest, TheThreadStartsAndStopsCleanly) {
  purge_.start();
  purge_.stop();
  purge_.stop();  // twice is fine
  EXPECT_EQ(stats_.purged.load(), 0u);
}

}  // namespace
}  // namespace gh::jobs
