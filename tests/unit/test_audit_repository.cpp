// Reading the audit log and its retention purge, on both backends: Sqlite/... (in memory)
// always, Postgres/... in the PostgreSQL run. Pages are read through services::AuditQueries,
// the way the routes read them.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/audit_repository.hpp"
#include "db/migrator.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"
#include "services/audit_queries.hpp"

namespace gh::db {
namespace {

using models::AuditEvent;
using models::AuditOutcome;
using models::AuditQuery;
using models::AuditType;
using test::run_async;

constexpr std::int64_t kStart = 1'700'000'000'000'000;
constexpr std::int64_t kMinute = 60'000'000;

constexpr Query kEventIds{"test_audit_event_ids", "SELECT id FROM audit_events ORDER BY id"};

// A readable name ("e1") as the UUID rows need; the text sorts like the name.
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

// An event named `name` at kStart + `minute` minutes, by and about no one unless said.
struct Spec {
  Spec(std::string name, std::int64_t minute, AuditType type = AuditType::auth_login,
       AuditOutcome outcome = AuditOutcome::success, std::string actor = "",
       std::string subject = "", std::string ip = "")
      : name(std::move(name)),
        minute(minute),
        type(type),
        outcome(outcome),
        actor(std::move(actor)),
        subject(std::move(subject)),
        ip(std::move(ip)) {}
  std::string name;
  std::int64_t minute;
  AuditType type;
  AuditOutcome outcome;
  std::string actor, subject, ip;
};

AuditEvent event(const Spec& s) {
  AuditEvent e;
  e.id = id(s.name);
  e.occurred_at = kStart + s.minute * kMinute;
  e.type = s.type;
  e.outcome = s.outcome;
  e.actor_id = s.actor.empty() ? "" : id(s.actor);
  e.subject_user_id = s.subject.empty() ? "" : id(s.subject);
  e.ip = s.ip;
  e.user_agent = "agent/1";
  e.request_id = "req-" + s.name;
  e.details = R"({"name":")" + s.name + R"("})";
  return e;
}

class AuditRepositoryTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Migrator migrator{*db_, embedded_migrations(GetParam())};
    run_async(migrator.up());
  }

  void add(const std::vector<Spec>& specs) {
    std::vector<AuditEvent> events;
    for (const auto& s : specs) events.push_back(event(s));
    run_async(repo_.insert_all(events));
  }

  // The names of the events `q` selects, in the order of the page.
  std::vector<std::string> names(AuditQuery q) {
    std::vector<std::string> out;
    for (const auto& e : run_async(repo_.list(q))) out.push_back(name_of(e.id));
    return out;
  }

  // Every event `q` selects, read page by page (`limit` each) through the service; `between`
  // runs after each page.
  std::vector<std::string> walk(AuditQuery q, const std::function<void(int)>& between = {}) {
    std::vector<std::string> out;
    for (int page = 0; page < 100; ++page) {
      auto result = run_async(queries_.list(q));
      EXPECT_LE(static_cast<std::int64_t>(result.events.size()), q.limit);
      for (const auto& e : result.events) out.push_back(name_of(e.id));
      if (!result.next) break;
      EXPECT_EQ(static_cast<std::int64_t>(result.events.size()), q.limit) << "a full page";
      q.after = result.next;
      if (between) between(page);
    }
    return out;
  }

  // The name id() made `uuid` from.
  static std::string name_of(std::string uuid) {
    std::erase(uuid, '-');
    std::string name;
    for (std::size_t i = 0; i + 1 < uuid.size(); i += 2) {
      const int byte = std::stoi(uuid.substr(i, 2), nullptr, 16);
      if (byte == 0) break;
      name.push_back(static_cast<char>(byte));
    }
    return name;
  }

  std::vector<std::string> remaining() {
    std::vector<std::string> out;
    for (const Row& row : run_async(db_->execute(kEventIds, {})).rows)
      out.push_back(name_of(row.text(0)));
    return out;
  }

  // A few events of several kinds: ann acts on herself, an admin acts on her and on bob.
  void add_mixed() {
    add({{"e1", 1, AuditType::auth_login, AuditOutcome::success, "ann", "ann", "192.0.2.1"},
         {"e2", 2, AuditType::auth_login, AuditOutcome::failure, "", "ann", "198.51.100.9"},
         {"e3", 3, AuditType::user_updated, AuditOutcome::success, "adm", "ann", "192.0.2.7"},
         {"e4", 4, AuditType::user_created, AuditOutcome::success, "adm", "bob", "192.0.2.7"},
         {"e5", 5, AuditType::auth_login, AuditOutcome::success, "bob", "bob", "192.0.2.1"},
         {"e6", 6, AuditType::session_ended, AuditOutcome::success, "ann", "ann", "192.0.2.1"},
         {"e7", 7, AuditType::auth_login_throttled, AuditOutcome::failure, "", "", "192.0.2.1"},
         {"e8", 8, AuditType::user_updated, AuditOutcome::success, "ann", "adm", "192.0.2.1"}});
  }

  std::unique_ptr<Database> open_backend() {
    if (GetParam() == Dialect::sqlite) return open_sqlite({.path = ":memory:", .threads = 1});
    pg_ = std::make_unique<test::PgTestDatabase>();
    return open_postgres({.conninfo = pg_->url()});
  }

  std::unique_ptr<test::PgTestDatabase> pg_;
  std::unique_ptr<Database> db_ = open_backend();
  AuditRepository repo_{*db_};
  services::AuditQueries queries_{repo_};
};

using Names = std::vector<std::string>;

TEST_P(AuditRepositoryTest, ListsEveryEventNewestFirstWithItsFields) {
  add_mixed();
  EXPECT_EQ(names({}), (Names{"e8", "e7", "e6", "e5", "e4", "e3", "e2", "e1"}));
  const auto events = run_async(repo_.list({.types = {AuditType::auth_login_throttled}}));
  ASSERT_EQ(events.size(), 1u);
  const AuditEvent& e = events[0];
  EXPECT_EQ(e.id, id("e7"));
  EXPECT_EQ(e.occurred_at, kStart + 7 * kMinute);
  EXPECT_EQ(e.type, AuditType::auth_login_throttled);
  EXPECT_EQ(e.outcome, AuditOutcome::failure);
  EXPECT_EQ(e.actor_id, "");
  EXPECT_EQ(e.subject_user_id, "");
  EXPECT_EQ(e.session_id, "");
  EXPECT_EQ(e.ip, "192.0.2.1");
  EXPECT_EQ(e.user_agent, "agent/1");
  EXPECT_EQ(e.request_id, "req-e7");
  EXPECT_EQ(e.reason, "");
  EXPECT_EQ(e.details, R"({"name":"e7"})");
}

TEST_P(AuditRepositoryTest, EventsAtTheSameTimeAreOrderedByIdDescending) {
  add({{"t1", 5}, {"t3", 5}, {"t2", 5}, {"t0", 4}});
  EXPECT_EQ(names({}), (Names{"t3", "t2", "t1", "t0"}));
  EXPECT_EQ(walk({.limit = 1}), (Names{"t3", "t2", "t1", "t0"}));
}

TEST_P(AuditRepositoryTest, FiltersByOneTypeOrSeveral) {
  add_mixed();
  EXPECT_EQ(names({.types = {AuditType::user_updated}}), (Names{"e8", "e3"}));
  EXPECT_EQ(names({.types = {AuditType::user_created, AuditType::auth_login}}),
            (Names{"e5", "e4", "e2", "e1"}));
  EXPECT_EQ(names({.types = {AuditType::auth_login, AuditType::auth_login}}),
            (Names{"e5", "e2", "e1"}));
  EXPECT_EQ(names({.types = {AuditType::password_changed}}), Names{});
  // Every type of the catalog selects every event.
  AuditQuery all;
  for (std::size_t i = 0; i < models::kAuditTypeCount; ++i)
    all.types.push_back(static_cast<AuditType>(i));
  EXPECT_EQ(names(all).size(), 8u);
}

TEST_P(AuditRepositoryTest, FiltersByOutcome) {
  add_mixed();
  EXPECT_EQ(names({.outcome = AuditOutcome::failure}), (Names{"e7", "e2"}));
  EXPECT_EQ(names({.outcome = AuditOutcome::success}).size(), 6u);
}

TEST_P(AuditRepositoryTest, UserIdMatchesTheSubjectOrTheActorOnce) {
  add_mixed();
  // e1, e6: ann on herself (once each); e2, e3: about her; e8: by her.
  EXPECT_EQ(names({.user_id = id("ann")}), (Names{"e8", "e6", "e3", "e2", "e1"}));
  EXPECT_EQ(names({.user_id = id("adm")}), (Names{"e8", "e4", "e3"}));
  EXPECT_EQ(names({.user_id = id("nobody")}), Names{});
}

TEST_P(AuditRepositoryTest, FiltersByActorSubjectAndAddress) {
  add_mixed();
  EXPECT_EQ(names({.actor_id = id("adm")}), (Names{"e4", "e3"}));
  EXPECT_EQ(names({.subject_user_id = id("ann")}), (Names{"e6", "e3", "e2", "e1"}));
  EXPECT_EQ(names({.ip = "192.0.2.7"}), (Names{"e4", "e3"}));
  EXPECT_EQ(names({.ip = "192.0.2.1"}), (Names{"e8", "e7", "e6", "e5", "e1"}));
}

TEST_P(AuditRepositoryTest, SinceIsInclusiveAndUntilExclusive) {
  add_mixed();
  EXPECT_EQ(names({.since = kStart + 6 * kMinute}), (Names{"e8", "e7", "e6"}));
  EXPECT_EQ(names({.until = kStart + 3 * kMinute}), (Names{"e2", "e1"}));
  EXPECT_EQ(names({.since = kStart + 3 * kMinute, .until = kStart + 5 * kMinute}),
            (Names{"e4", "e3"}));
  EXPECT_EQ(names({.since = kStart + 5 * kMinute, .until = kStart + 5 * kMinute}), Names{});
}

TEST_P(AuditRepositoryTest, FiltersCombine) {
  add_mixed();
  EXPECT_EQ(names({.types = {AuditType::auth_login}, .outcome = AuditOutcome::success}),
            (Names{"e5", "e1"}));
  EXPECT_EQ(names({.types = {AuditType::auth_login, AuditType::session_ended},
                   .user_id = id("ann"),
                   .ip = "192.0.2.1"}),
            (Names{"e6", "e1"}));
  EXPECT_EQ(names({.outcome = AuditOutcome::failure, .subject_user_id = id("ann")}), (Names{"e2"}));
  EXPECT_EQ(names({.user_id = id("ann"), .actor_id = id("adm")}), (Names{"e3"}));
  EXPECT_EQ(names({.user_id = id("bob"), .subject_user_id = id("bob")}), (Names{"e5", "e4"}));
  EXPECT_EQ(names({.types = {AuditType::user_updated, AuditType::auth_login},
                   .ip = "192.0.2.1",
                   .since = kStart + 2 * kMinute,
                   .until = kStart + 8 * kMinute}),
            (Names{"e5"}));
  EXPECT_EQ(names({.types = {AuditType::user_updated},
                   .actor_id = id("adm"),
                   .since = kStart + 4 * kMinute}),
            Names{});
}

TEST_P(AuditRepositoryTest, AnIdThatIsNoUuidSelectsNothingWithoutAskingTheDatabase) {
  add_mixed();
  EXPECT_EQ(names({.user_id = "ann"}), Names{});
  EXPECT_EQ(names({.actor_id = "1 OR 1=1"}), Names{});
  EXPECT_EQ(names({.subject_user_id = ""}), Names{});
  EXPECT_EQ(names({.after = models::AuditPosition{kStart, "x"}}), Names{});
}

TEST_P(AuditRepositoryTest, LimitBoundsThePage) {
  add_mixed();
  EXPECT_EQ(names({.limit = 3}), (Names{"e8", "e7", "e6"}));
  EXPECT_EQ(names({.user_id = id("ann"), .limit = 2}), (Names{"e8", "e6"}));
  EXPECT_EQ(names({.types = {AuditType::auth_login, AuditType::user_updated}, .limit = 3}),
            (Names{"e8", "e5", "e3"}));
}

TEST_P(AuditRepositoryTest, PagesFollowEachOtherWithoutGapOrDuplicate) {
  add_mixed();
  EXPECT_EQ(walk({.limit = 3}), (Names{"e8", "e7", "e6", "e5", "e4", "e3", "e2", "e1"}));
  EXPECT_EQ(walk({.user_id = id("ann"), .limit = 2}), (Names{"e8", "e6", "e3", "e2", "e1"}));
  EXPECT_EQ(walk({.types = {AuditType::auth_login, AuditType::user_updated}, .limit = 2}),
            (Names{"e8", "e5", "e3", "e2", "e1"}));
  EXPECT_EQ(walk({.until = kStart + 7 * kMinute, .limit = 4}),
            (Names{"e6", "e5", "e4", "e3", "e2", "e1"}));
  // A page exactly as long as what is left has no next.
  EXPECT_EQ(walk({.limit = 8}).size(), 8u);
  EXPECT_FALSE(run_async(queries_.list({.limit = 8})).next);
  EXPECT_TRUE(run_async(queries_.list({.limit = 7})).next);
}

TEST_P(AuditRepositoryTest, EventsAddedBetweenPagesNeitherRepeatNorHideOlderOnes) {
  std::vector<Spec> first;
  for (int i = 0; i < 20; ++i)
    first.push_back({"o" + std::to_string(100 + i), i, AuditType::auth_login, AuditOutcome::success,
                     "ann", "ann", "192.0.2.1"});
  add(first);
  // After every page, two newer events and one at the very time of the page's last event
  // (with an id that sorts after it, so before it in the list).
  int added = 0;
  const auto seen = walk({.user_id = id("ann"), .limit = 3}, [&](int page) {
    add({{"n" + std::to_string(100 + added++), 100 + page, AuditType::auth_login,
          AuditOutcome::success, "ann", "ann"},
         {"n" + std::to_string(100 + added++), 100 + page, AuditType::user_updated,
          AuditOutcome::success, "adm", "ann"},
         {"z" + std::to_string(100 + page), 17 - 3 * page, AuditType::auth_login,
          AuditOutcome::success, "ann", "ann"}});
  });
  Names want;
  for (int i = 19; i >= 0; --i) want.push_back("o" + std::to_string(100 + i));
  EXPECT_EQ(seen, want);
}

TEST_P(AuditRepositoryTest, PurgeDeletesTheOldestFirstInBatches) {
  add_mixed();
  const std::int64_t cutoff = kStart + 6 * kMinute;  // e1..e5 are older
  std::vector<std::int64_t> batches;
  do {
    batches.push_back(run_async(repo_.purge_before(cutoff, 2)));
    if (batches.size() == 1) EXPECT_EQ(remaining(), (Names{"e3", "e4", "e5", "e6", "e7", "e8"}));
  } while (batches.back() == 2 && batches.size() < 10);
  EXPECT_EQ(batches, (std::vector<std::int64_t>{2, 2, 1}));
  EXPECT_EQ(remaining(), (Names{"e6", "e7", "e8"}));
  EXPECT_EQ(run_async(repo_.purge_before(cutoff, 2)), 0);
}

std::string backend_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::postgres ? "postgres" : "sqlite";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditRepositoryTest, ::testing::Values(Dialect::sqlite),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, AuditRepositoryTest, ::testing::Values(Dialect::postgres),
                         backend_name);

}  // namespace
}  // namespace gh::db
