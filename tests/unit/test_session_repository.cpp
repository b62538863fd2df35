// The queries behind the list of sessions, ending one, and the purge, on both backends:
// Sqlite/... (in memory) always, Postgres/... in the PostgreSQL run.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "db/migrator.hpp"
#include "db/params.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/session_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"

namespace gh::db {
namespace {

using models::Session;
using test::run_async;

constexpr std::int64_t kStart = 1'700'000'000'000'000;
constexpr std::int64_t kHour = 3'600'000'000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kNow = kStart + 100 * kDay;

constexpr Query kSessionIds{"test_session_ids", "SELECT id FROM sessions ORDER BY id"};
constexpr Query kClientColumns{"test_client_columns",
                               "SELECT ip, user_agent, last_used_at FROM sessions WHERE id = $1"};

// A readable name ("s1") as the UUID rows need; the text sorts like the name.
std::string id(const std::string& name) {
  std::string hex;
  for (std::size_t i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(i < name.size() ? name[i] : 0);
    hex += "0123456789abcdef"[byte >> 4];
    hex += "0123456789abcdef"[byte & 0x0f];
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::vector<std::string> ids_of(const std::vector<Session>& sessions) {
  std::vector<std::string> out;
  for (const auto& s : sessions) out.push_back(s.id);
  return out;
}

class SessionRepositoryTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Migrator migrator{*db_, embedded_migrations(GetParam())};
    run_async(migrator.up());
    add_user("ann");
    add_user("bob");
  }

  void add_user(const std::string& name) {
    run_async(users_.insert({.id = id(name),
                             .email = name + "@example.com",
                             .password_hash = "hash",
                             .role = models::Role::user,
                             .is_active = true,
                             .created_at = kStart,
                             .updated_at = kStart}));
  }

  // A session of `user` opened at `created_at`, open for `lifetime`.
  void add(const std::string& name, const std::string& user, std::int64_t created_at,
           std::int64_t lifetime = 30 * kDay, const std::string& ip = "192.0.2.1",
           const std::string& agent = "agent/1") {
    run_async(sessions_.insert({.id = id(name),
                                .user_id = id(user),
                                .refresh_hash = "h-" + name,
                                .created_at = created_at,
                                .expires_at = created_at + lifetime,
                                .revoked_at = std::nullopt,
                                .last_used_at = created_at,
                                .ip = ip,
                                .user_agent = agent}));
  }

  void revoke(const std::string& name, std::int64_t at) {
    run_async(sessions_.revoke(id(name), at));
  }

  std::vector<std::string> remaining() {
    std::vector<std::string> out;
    for (const Row& row : run_async(db_->execute(kSessionIds, {})).rows) out.push_back(row.text(0));
    return out;
  }

  Row client_columns(const std::string& name) {
    return run_async(db_->execute(kClientColumns, params(id(name)))).rows.at(0);
  }

  std::unique_ptr<Database> open_backend() {
    if (GetParam() == Dialect::sqlite) return open_sqlite({.path = ":memory:", .threads = 1});
    pg_ = std::make_unique<test::PgTestDatabase>();
    return open_postgres({.conninfo = pg_->url()});
  }

  std::unique_ptr<test::PgTestDatabase> pg_;
  std::unique_ptr<Database> db_ = open_backend();
  UserRepository users_{*db_};
  SessionRepository sessions_{*db_};
};

TEST_P(SessionRepositoryTest, ListOpenIsTheUsersOpenSessionsNewestFirst) {
  add("s1", "ann", kNow - 3 * kDay);
  add("s2", "ann", kNow - 1 * kDay);
  add("s3", "ann", kNow - 2 * kDay);
  add("s4", "ann", kNow - 2 * kHour);
  revoke("s4", kNow - kHour);           // ended
  add("s5", "ann", kNow - 40 * kDay);   // expired ten days ago
  add("s6", "ann", kNow - kDay, kDay);  // expires at this very moment: no longer open
  add("s7", "bob", kNow - kHour);       // someone else's
  const auto open = run_async(sessions_.list_open(id("ann"), kNow, 100));
  EXPECT_EQ(ids_of(open), (std::vector<std::string>{id("s2"), id("s3"), id("s1")}));
}

TEST_P(SessionRepositoryTest, ListOpenCarriesWhatAListShowsAndNoRefreshHash) {
  add("s1", "ann", kNow - kDay, 7 * kDay, "2001:db8::7", "Mozilla/5.0 (ünï)");
  const auto open = run_async(sessions_.list_open(id("ann"), kNow, 100));
  ASSERT_EQ(open.size(), 1u);
  const Session& s = open[0];
  EXPECT_EQ(s.id, id("s1"));
  EXPECT_EQ(s.user_id, id("ann"));
  EXPECT_EQ(s.created_at, kNow - kDay);
  EXPECT_EQ(s.last_used_at, kNow - kDay);
  EXPECT_EQ(s.expires_at, kNow + 6 * kDay);
  EXPECT_EQ(s.ip, "2001:db8::7");
  EXPECT_EQ(s.user_agent, "Mozilla/5.0 (ünï)");
  EXPECT_TRUE(s.refresh_hash.empty());
  EXPECT_FALSE(s.revoked_at.has_value());
}

TEST_P(SessionRepositoryTest, ListOpenKeepsTheNewestUpToTheLimitTiesByIdDescending) {
  add("s1", "ann", kNow - 2 * kDay);
  add("s2", "ann", kNow - kDay);
  add("s3", "ann", kNow - kDay);
  add("s4", "ann", kNow - 3 * kDay);
  const auto open = run_async(sessions_.list_open(id("ann"), kNow, 3));
  EXPECT_EQ(ids_of(open), (std::vector<std::string>{id("s3"), id("s2"), id("s1")}));
}

TEST_P(SessionRepositoryTest, ListOpenOfAnUnknownOrMalformedUserIsEmpty) {
  add("s1", "ann", kNow - kDay);
  EXPECT_TRUE(run_async(sessions_.list_open(id("nobody"), kNow, 100)).empty());
  EXPECT_TRUE(run_async(sessions_.list_open("not-a-uuid", kNow, 100)).empty());
}

TEST_P(SessionRepositoryTest, AnUnknownAddressOrAgentIsStoredAsNull) {
  add("s1", "ann", kNow - kDay, 7 * kDay, "", "");
  const Row row = client_columns("s1");
  EXPECT_TRUE(row.is_null(0));
  EXPECT_TRUE(row.is_null(1));
  const auto open = run_async(sessions_.list_open(id("ann"), kNow, 100));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].ip, "");
  EXPECT_EQ(open[0].user_agent, "");
}

TEST_P(SessionRepositoryTest, ARefreshRecordsWhenAndFromWhere) {
  add("s1", "ann", kNow - kDay);
  const auto result = run_async(
      sessions_.rotate(id("s1"), id("ann"), "h-s1", "h-next",
                       {.at = kNow - kHour, .ip = "198.51.100.9", .user_agent = "curl/8.0"}));
  ASSERT_EQ(result, RotateResult::rotated);
  const Row row = client_columns("s1");
  EXPECT_EQ(row.text(0), "198.51.100.9");
  EXPECT_EQ(row.text(1), "curl/8.0");
  EXPECT_EQ(row.integer(2), kNow - kHour);
  // A refresh that fails records nothing.
  run_async(sessions_.rotate(id("s1"), id("ann"), "h-wrong", "h-other",
                             {.at = kNow, .ip = "203.0.113.1", .user_agent = "thief"}));
  EXPECT_NE(client_columns("s1").text(1), "thief");
}

TEST_P(SessionRepositoryTest, RevokeOpenEndsOnlyAnOpenSessionOfThatUser) {
  add("s1", "ann", kNow - kDay);
  add("s2", "ann", kNow - 40 * kDay);  // expired
  EXPECT_FALSE(run_async(sessions_.revoke_open(id("s1"), id("bob"), kNow)));
  EXPECT_FALSE(run_async(sessions_.revoke_open(id("s2"), id("ann"), kNow)));
  EXPECT_FALSE(run_async(sessions_.revoke_open(id("nothing"), id("ann"), kNow)));
  EXPECT_FALSE(run_async(sessions_.revoke_open("not-a-uuid", id("ann"), kNow)));
  EXPECT_EQ(run_async(sessions_.list_open(id("ann"), kNow, 100)).size(), 1u);
  EXPECT_TRUE(run_async(sessions_.revoke_open(id("s1"), id("ann"), kNow)));
  EXPECT_TRUE(run_async(sessions_.list_open(id("ann"), kNow, 100)).empty());
  EXPECT_FALSE(run_async(sessions_.revoke_open(id("s1"), id("ann"), kNow)));  // already ended
}

TEST_P(SessionRepositoryTest, PurgeDeletesInBatchesOnlyWhatEndedBeforeTheCutoff) {
  const std::int64_t cutoff = kNow - 30 * kDay;
  // Ended before the cutoff: revoked (r1-r3), or expired without a revocation (e1-e3), or
  // expired long ago and revoked since (e4: it ended when it expired).
  for (const char* name : {"r1", "r2", "r3"}) {
    add(name, "ann", cutoff - 5 * kDay);
    revoke(name, cutoff - 4 * kDay);
  }
  for (const char* name : {"e1", "e2", "e3", "e4"}) add(name, "bob", cutoff - 8 * kDay, 7 * kDay);
  revoke("e4", kNow - kHour);
  // Ended after the cutoff, or not at all: kept.
  add("k1", "ann", cutoff - 5 * kDay);
  revoke("k1", cutoff + kHour);
  add("k2", "bob", cutoff - 7 * kDay, 7 * kDay + kHour);  // expired an hour after the cutoff
  add("k3", "ann", kNow - kDay);                          // open

  std::vector<std::int64_t> batches;
  do {
    batches.push_back(run_async(sessions_.purge_ended(cutoff, 3)));
  } while (batches.back() == 3 && batches.size() < 10);
  EXPECT_EQ(batches, (std::vector<std::int64_t>{3, 3, 1}));
  EXPECT_EQ(remaining(), (std::vector<std::string>{id("k1"), id("k2"), id("k3")}));
  EXPECT_EQ(run_async(sessions_.purge_ended(cutoff, 3)), 0);
}

std::string backend_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::postgres ? "postgres" : "sqlite";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SessionRepositoryTest, ::testing::Values(Dialect::sqlite),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, SessionRepositoryTest, ::testing::Values(Dialect::postgres),
                         backend_name);

}  // namespace
}  // namespace gh::db
