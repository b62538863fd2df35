#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/migrator.hpp"
#include "db/params.hpp"
#include "db/session_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "run_async.hpp"
#include "temp_path.hpp"

namespace gh::db {
namespace {

using models::Session;
using models::User;
using test::run_async;
using test::TempPath;

constexpr std::int64_t kStart = 1'700'000'000'000'000;
constexpr std::int64_t kHour = 3'600'000'000;
constexpr std::int64_t kLater = kStart + kHour;

constexpr Query kSessionState{
    "test_session_state", "SELECT revoked_at, refresh_hash, last_used_at FROM sessions WHERE id = $1"};
constexpr Query kCountSessions{"test_count_sessions", "SELECT COUNT(*) FROM sessions"};

struct SessionState {
  std::optional<std::int64_t> revoked_at{};
  std::string refresh_hash;
  std::int64_t last_used_at = 0;
};

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Migrator migrator{db_, embedded_migrations(Dialect::sqlite)};
    run_async(migrator.up());
  }

  User add_user(const std::string& id, const std::string& role = "user", bool active = true,
                std::int64_t created_at = kStart) {
    const User user{.id = id,
                    .email = id + "@example.com",
                    .password_hash = "hash-of-" + id,
                    .role = role,
                    .is_active = active,
                    .created_at = created_at,
                    .updated_at = created_at};
    run_async(users_.insert(user));
    return user;
  }

  Session add_session(const std::string& id, const std::string& user_id,
                      std::int64_t expires_at = kStart + 24 * kHour) {
    const Session session{.id = id,
                          .user_id = user_id,
                          .refresh_hash = "h0-" + id,
                          .created_at = kStart,
                          .expires_at = expires_at,
                          .revoked_at = std::nullopt};
    run_async(sessions_.insert(session));
    return session;
  }

  SessionState session_state(const std::string& id) {
    const Row row = run_async(db_.execute(kSessionState, params(id))).rows.at(0);
    SessionState state{.refresh_hash = row.text(1), .last_used_at = row.integer(2)};
    if (!row.is_null(0)) state.revoked_at = row.integer(0);
    return state;
  }

  bool is_revoked(const std::string& session_id) {
    return session_state(session_id).revoked_at.has_value();
  }

  User user(const std::string& id) { return run_async(users_.find_by_id(id)).value(); }

  GuardedResult update(const std::string& id, const UserChanges& changes) {
    return run_async(users_.update(id, changes, kLater));
  }

  RotateResult rotate(const std::string& sid, const std::string& uid, const std::string& old_hash,
                      const std::string& new_hash, std::int64_t now = kLater) {
    return run_async(sessions_.rotate(sid, uid, old_hash, new_hash, now));
  }

  TempPath file_;
  SqliteDatabase db_{{.path = file_.str(), .threads = 4}};
  UserRepository users_{db_};
  SessionRepository sessions_{db_};
};

DbError::Kind kind_of_failure(auto&& action) {
  try {
    action();
  } catch (const DbError& error) {
    return error.kind();
  }
  ADD_FAILURE() << "expected a DbError";
  return DbError::Kind::other;
}

// --- users -------------------------------------------------------------------------------

TEST_F(RepositoryTest, InsertedUserIsFoundByIdAndEmail) {
  const User alice = add_user("alice", "admin", false, kStart + 5);
  const User found = user("alice");
  EXPECT_EQ(found.id, alice.id);
  EXPECT_EQ(found.email, "alice@example.com");
  EXPECT_EQ(found.password_hash, "hash-of-alice");
  EXPECT_EQ(found.role, "admin");
  EXPECT_FALSE(found.is_active);
  EXPECT_EQ(found.created_at, kStart + 5);
  EXPECT_EQ(found.updated_at, kStart + 5);
  EXPECT_EQ(run_async(users_.find_by_email("alice@example.com")).value().id, "alice");
  EXPECT_FALSE(run_async(users_.find_by_id("nobody")).has_value());
  EXPECT_FALSE(run_async(users_.find_by_email("nobody@example.com")).has_value());
}

TEST_F(RepositoryTest, TakenEmailOrIdIsAUniqueViolation) {
  User alice = add_user("alice");
  alice.id = "alice-2";
  EXPECT_EQ(kind_of_failure([&] { run_async(users_.insert(alice)); }),
            DbError::Kind::unique_violation);
  alice.id = "alice";
  alice.email = "other@example.com";
  EXPECT_EQ(kind_of_failure([&] { run_async(users_.insert(alice)); }),
            DbError::Kind::unique_violation);
}

TEST_F(RepositoryTest, ListOrdersByCreationThenIdAndPages) {
  add_user("c", "user", true, kStart + 3);
  add_user("b", "user", true, kStart + 1);
  add_user("a", "user", true, kStart + 1);
  add_user("d", "user", true, kStart + 2);
  std::vector<std::string> ids;
  for (const User& u : run_async(users_.list(0, 50))) ids.push_back(u.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "d", "c"}));
  const auto page = run_async(users_.list(1, 2));
  ASSERT_EQ(page.size(), 2U);
  EXPECT_EQ(page[0].id, "b");
  EXPECT_EQ(page[1].id, "d");
  EXPECT_TRUE(run_async(users_.list(10, 5)).empty());
}

TEST_F(RepositoryTest, ListLeavesPasswordHashesInTheDatabase) {
  add_user("a", "user", true, kStart);
  const auto page = run_async(users_.list(0, 50));
  ASSERT_EQ(page.size(), 1U);
  EXPECT_FALSE(page[0].email.empty());
  EXPECT_TRUE(page[0].password_hash.empty());
}

TEST_F(RepositoryTest, CountsTotalActiveAndActiveAdmins) {
  const UserCounts empty = run_async(users_.counts());
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.active, 0);
  EXPECT_EQ(empty.admins, 0);
  add_user("admin", "admin", true);
  add_user("old-admin", "admin", false);
  add_user("user", "user", true);
  add_user("gone", "user", false);
  const UserCounts counts = run_async(users_.counts());
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.active, 2);
  EXPECT_EQ(counts.admins, 1);
}

TEST_F(RepositoryTest, UpdateChangesOnlyTheGivenFields) {
  add_user("bob");
  EXPECT_EQ(update("bob", {.email = "robert@example.com"}), GuardedResult::done);
  User bob = user("bob");
  EXPECT_EQ(bob.email, "robert@example.com");
  EXPECT_EQ(bob.role, "user");
  EXPECT_TRUE(bob.is_active);
  EXPECT_EQ(bob.updated_at, kLater);
  EXPECT_EQ(bob.created_at, kStart);
  EXPECT_EQ(update("bob", {.role = "admin", .is_active = false}), GuardedResult::done);
  bob = user("bob");
  EXPECT_EQ(bob.email, "robert@example.com");
  EXPECT_EQ(bob.role, "admin");
  EXPECT_FALSE(bob.is_active);
}

TEST_F(RepositoryTest, UpdateOfMissingUserIsNotFound) {
  EXPECT_EQ(update("nobody", {.role = "admin"}), GuardedResult::not_found);
}

TEST_F(RepositoryTest, UpdateToTakenEmailFailsAndChangesNothing) {
  add_user("alice");
  add_user("bob");
  add_session("s-bob", "bob");
  EXPECT_EQ(kind_of_failure([&] {
              update("bob", {.email = "alice@example.com", .is_active = false});
            }),
            DbError::Kind::unique_violation);
  EXPECT_TRUE(user("bob").is_active);
  EXPECT_FALSE(is_revoked("s-bob"));
}

TEST_F(RepositoryTest, UpdateRefusesToDemoteOrDeactivateTheLastActiveAdmin) {
  add_user("root", "admin");
  add_user("retired", "admin", false);  // an inactive admin is no admin
  add_session("s-root", "root");
  EXPECT_EQ(update("root", {.role = "user"}), GuardedResult::last_admin);
  EXPECT_EQ(update("root", {.is_active = false}), GuardedResult::last_admin);
  EXPECT_EQ(update("root", {.email = "x@example.com", .role = "user"}), GuardedResult::last_admin);
  const User root = user("root");
  EXPECT_EQ(root.role, "admin");
  EXPECT_TRUE(root.is_active);
  EXPECT_EQ(root.email, "root@example.com");
  EXPECT_EQ(root.updated_at, kStart);
  EXPECT_FALSE(is_revoked("s-root"));
}

TEST_F(RepositoryTest, UpdateLetsTheLastAdminChangeWhatKeepsThemAdmin) {
  add_user("root", "admin");
  EXPECT_EQ(update("root", {.email = "boss@example.com", .role = "admin", .is_active = true}),
            GuardedResult::done);
  EXPECT_EQ(user("root").email, "boss@example.com");
}

TEST_F(RepositoryTest, UpdateDemotesAnAdminWhenAnotherRemains) {
  add_user("root", "admin");
  add_user("deputy", "admin");
  EXPECT_EQ(update("deputy", {.role = "user"}), GuardedResult::done);
  EXPECT_EQ(user("deputy").role, "user");
  EXPECT_EQ(update("root", {.is_active = false}), GuardedResult::last_admin);
}

TEST_F(RepositoryTest, DeactivatingEndsEverySessionOfTheUser) {
  add_user("bob");
  add_user("carol");
  add_session("s1", "bob");
  add_session("s2", "bob");
  add_session("s-carol", "carol");
  EXPECT_EQ(update("bob", {.is_active = false}), GuardedResult::done);
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_EQ(session_state("s2").revoked_at, kLater);
  EXPECT_FALSE(is_revoked("s-carol"));
}

TEST_F(RepositoryTest, DemotingAnAdminEndsTheirSessions) {
  add_user("root", "admin");
  add_user("deputy", "admin");
  add_session("s-deputy", "deputy");
  EXPECT_EQ(update("deputy", {.role = "user"}), GuardedResult::done);
  EXPECT_TRUE(is_revoked("s-deputy"));
}

TEST_F(RepositoryTest, OtherChangesKeepSessions) {
  add_user("bob");
  add_session("s-bob", "bob");
  EXPECT_EQ(update("bob", {.email = "robert@example.com", .role = "user", .is_active = true}),
            GuardedResult::done);
  EXPECT_EQ(update("bob", {.role = "admin"}), GuardedResult::done);
  EXPECT_FALSE(is_revoked("s-bob"));
}

TEST_F(RepositoryTest, ConcurrentDemotionsLeaveOneActiveAdmin) {
  for (int round = 0; round < 10; ++round) {
    const std::string a = "a" + std::to_string(round);
    const std::string b = "b" + std::to_string(round);
    add_user(a, "admin");
    add_user(b, "admin");
    if (round > 0) {
      // Only this round's pair may be active admins.
      update("a" + std::to_string(round - 1), {.role = "user"});
      update("b" + std::to_string(round - 1), {.role = "user"});
    }
    // Both live until io.run() returns: the coroutines hold references to them.
    const std::vector<std::string> ids{a, b};
    const UserChanges demote{.role = "user"};
    boost::asio::io_context io;
    std::vector<GuardedResult> outcomes;
    for (const std::string& id : ids) {
      boost::asio::co_spawn(io, users_.update(id, demote, kLater),
                            [&outcomes](std::exception_ptr error, GuardedResult result) {
                              if (error) std::rethrow_exception(error);
                              outcomes.push_back(result);
                            });
    }
    io.run();
    ASSERT_EQ(outcomes.size(), 2U);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), GuardedResult::done), 1);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), GuardedResult::last_admin), 1);
    EXPECT_EQ(run_async(users_.counts()).admins, 1);
  }
}

TEST_F(RepositoryTest, RemoveDeletesTheUserAndTheirSessions) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_EQ(run_async(users_.remove("bob")), GuardedResult::done);
  EXPECT_FALSE(run_async(users_.find_by_id("bob")).has_value());
  EXPECT_EQ(run_async(db_.execute(kCountSessions, {})).rows.at(0).integer(0), 0);
  EXPECT_EQ(run_async(users_.remove("bob")), GuardedResult::not_found);
}

TEST_F(RepositoryTest, RemoveRefusesTheLastActiveAdmin) {
  add_user("root", "admin");
  add_user("retired", "admin", false);
  EXPECT_EQ(run_async(users_.remove("root")), GuardedResult::last_admin);
  EXPECT_TRUE(run_async(users_.find_by_id("root")).has_value());
  EXPECT_EQ(run_async(users_.remove("retired")), GuardedResult::done);
  add_user("deputy", "admin");
  EXPECT_EQ(run_async(users_.remove("root")), GuardedResult::done);
  EXPECT_EQ(run_async(users_.remove("deputy")), GuardedResult::last_admin);
}

TEST_F(RepositoryTest, SetPasswordHashStoresTheHash) {
  add_user("bob");
  run_async(users_.set_password_hash("bob", "new-hash", kLater));
  const User bob = user("bob");
  EXPECT_EQ(bob.password_hash, "new-hash");
  EXPECT_EQ(bob.updated_at, kLater);
}

TEST_F(RepositoryTest, FindActiveWithSessionNeedsAnOpenSessionOfAnActiveUser) {
  add_user("bob");
  add_user("carol");
  add_user("gone", "user", false);
  add_session("s-bob", "bob", kLater + 1);
  add_session("s-carol", "carol");
  add_session("s-gone", "gone");
  const auto find = [&](const std::string& uid, const std::string& sid, std::int64_t now) {
    return run_async(users_.find_active_with_session(uid, sid, now));
  };
  EXPECT_EQ(find("bob", "s-bob", kLater).value().id, "bob");
  EXPECT_FALSE(find("bob", "s-bob", kLater + 1).has_value());  // expired
  EXPECT_FALSE(find("bob", "s-carol", kLater).has_value());     // another user's session
  EXPECT_FALSE(find("bob", "nope", kLater).has_value());
  EXPECT_FALSE(find("gone", "s-gone", kLater).has_value());  // inactive user
  run_async(sessions_.revoke("s-bob", kLater));
  EXPECT_FALSE(find("bob", "s-bob", kLater).has_value());  // revoked
}

// --- sessions ----------------------------------------------------------------------------

TEST_F(RepositoryTest, InsertWithUserStoresBothOrNeither) {
  const User dave{.id = "dave",
                  .email = "dave@example.com",
                  .password_hash = "h",
                  .role = "user",
                  .created_at = kStart,
                  .updated_at = kStart};
  const Session first{.id = "s1", .user_id = "dave", .refresh_hash = "r1", .created_at = kStart,
                      .expires_at = kLater, .revoked_at = std::nullopt};
  run_async(sessions_.insert_with_user(dave, first));
  EXPECT_TRUE(run_async(users_.find_by_id("dave")).has_value());
  EXPECT_EQ(session_state("s1").refresh_hash, "r1");

  User twin = dave;
  twin.id = "twin";
  const Session second{.id = "s2", .user_id = "twin", .refresh_hash = "r2", .created_at = kStart,
                       .expires_at = kLater, .revoked_at = std::nullopt};
  EXPECT_EQ(kind_of_failure([&] { run_async(sessions_.insert_with_user(twin, second)); }),
            DbError::Kind::unique_violation);
  EXPECT_FALSE(run_async(users_.find_by_id("twin")).has_value());
  EXPECT_EQ(run_async(db_.execute(kCountSessions, {})).rows.at(0).integer(0), 1);
}

TEST_F(RepositoryTest, SessionOfUnknownUserIsRefused) {
  EXPECT_EQ(kind_of_failure([&] { add_session("s1", "nobody"); }), DbError::Kind::other);
}

TEST_F(RepositoryTest, RotateSwapsTheHashOnce) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_EQ(rotate("s1", "bob", "h0-s1", "h1"), RotateResult::rotated);
  const SessionState state = session_state("s1");
  EXPECT_EQ(state.refresh_hash, "h1");
  EXPECT_EQ(state.last_used_at, kLater);
  EXPECT_FALSE(state.revoked_at.has_value());
  EXPECT_EQ(rotate("s1", "bob", "h1", "h2"), RotateResult::rotated);
}

TEST_F(RepositoryTest, ReplayingASpentTokenRevokesTheSession) {
  add_user("bob");
  add_session("s1", "bob");
  ASSERT_EQ(rotate("s1", "bob", "h0-s1", "h1"), RotateResult::rotated);
  EXPECT_EQ(rotate("s1", "bob", "h0-s1", "h-attacker"), RotateResult::reused);
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_EQ(rotate("s1", "bob", "h1", "h2"), RotateResult::invalid);  // the holder is out too
}

TEST_F(RepositoryTest, RotateIsInvalidForClosedOrForeignSessions) {
  add_user("bob");
  add_user("carol");
  add_user("gone", "user", false);
  add_session("s-bob", "bob");
  add_session("s-short", "bob", kLater);
  add_session("s-gone", "gone");
  add_session("s-revoked", "bob");
  run_async(sessions_.revoke("s-revoked", kStart));
  EXPECT_EQ(rotate("nope", "bob", "h0-nope", "x"), RotateResult::invalid);
  EXPECT_EQ(rotate("s-bob", "carol", "h0-s-bob", "x"), RotateResult::invalid);
  EXPECT_EQ(rotate("s-bob", "carol", "other", "x"), RotateResult::invalid);
  EXPECT_EQ(rotate("s-short", "bob", "h0-s-short", "x"), RotateResult::invalid);  // expired
  EXPECT_EQ(rotate("s-gone", "gone", "h0-s-gone", "x"), RotateResult::invalid);
  EXPECT_EQ(rotate("s-revoked", "bob", "h0-s-revoked", "x"), RotateResult::invalid);
  EXPECT_EQ(rotate("s-revoked", "bob", "stale", "x"), RotateResult::invalid);
  EXPECT_FALSE(is_revoked("s-bob"));
  EXPECT_FALSE(is_revoked("s-short"));
  EXPECT_EQ(session_state("s-bob").refresh_hash, "h0-s-bob");
}

TEST_F(RepositoryTest, RevokeByRefreshNeedsTheCurrentTokenOfAnOpenSession) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_FALSE(run_async(sessions_.revoke_by_refresh("s1", "bob", "wrong", kLater)));
  EXPECT_FALSE(run_async(sessions_.revoke_by_refresh("s1", "carol", "h0-s1", kLater)));
  EXPECT_FALSE(is_revoked("s1"));
  EXPECT_TRUE(run_async(sessions_.revoke_by_refresh("s1", "bob", "h0-s1", kLater)));
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_FALSE(run_async(sessions_.revoke_by_refresh("s1", "bob", "h0-s1", kLater + 1)));
}

TEST_F(RepositoryTest, RevokeKeepsTheFirstRevocationTime) {
  add_user("bob");
  add_session("s1", "bob");
  run_async(sessions_.revoke("s1", kStart + 1));
  run_async(sessions_.revoke("s1", kLater));
  EXPECT_EQ(session_state("s1").revoked_at, kStart + 1);
  run_async(sessions_.revoke("nope", kLater));  // nothing to do, no error
}

TEST_F(RepositoryTest, RevokeAllForUserEndsOnlyTheirOpenSessions) {
  add_user("bob");
  add_user("carol");
  add_session("s1", "bob");
  add_session("s2", "bob");
  add_session("s3", "bob");
  add_session("s-carol", "carol");
  run_async(sessions_.revoke("s3", kStart));
  EXPECT_EQ(run_async(sessions_.revoke_all_for_user("bob", kLater)), 2);
  EXPECT_TRUE(is_revoked("s1"));
  EXPECT_TRUE(is_revoked("s2"));
  EXPECT_EQ(session_state("s3").revoked_at, kStart);
  EXPECT_FALSE(is_revoked("s-carol"));
  EXPECT_EQ(run_async(sessions_.revoke_all_for_user("bob", kLater)), 0);
}

TEST_F(RepositoryTest, RevokeOthersKeepsTheCurrentSession) {
  add_user("bob");
  add_session("s1", "bob");
  add_session("s2", "bob");
  add_session("s3", "bob");
  EXPECT_EQ(run_async(sessions_.revoke_others_for_user("bob", "s2", kLater)), 2);
  EXPECT_TRUE(is_revoked("s1"));
  EXPECT_FALSE(is_revoked("s2"));
  EXPECT_TRUE(is_revoked("s3"));
}

}  // namespace
}  // namespace gh::db
