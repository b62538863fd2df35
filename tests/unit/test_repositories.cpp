#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
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
#include "temp_path.hpp"

namespace gh::db {
namespace {

using models::Role;
using models::Session;
using models::User;
using test::PgTestDatabase;
using test::run_async;
using test::TempPath;

constexpr std::int64_t kStart = 1'700'000'000'000'000;
constexpr std::int64_t kHour = 3'600'000'000;
constexpr std::int64_t kLater = kStart + kHour;

constexpr Query kSessionState{
    "test_session_state",
    "SELECT revoked_at, refresh_hash, last_used_at FROM sessions WHERE id = $1"};
constexpr Query kCountSessions{"test_count_sessions", "SELECT COUNT(*) FROM sessions"};

struct SessionState {
  std::optional<std::int64_t> revoked_at{};
  std::string refresh_hash;
  std::int64_t last_used_at = 0;
};

// Tests name users and sessions ("bob", "s1"); the rows get the UUID id(name), whose text
// sorts like the name (PostgreSQL stores ids as uuid and the repositories take nothing else).
std::string id(const std::string& name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < 16; ++i) {
    const auto byte = static_cast<unsigned char>(i < name.size() ? name[i] : 0);
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0f];
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// The same tests on both backends: Sqlite/... always, Postgres/... in the PostgreSQL run.
class RepositoryTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Migrator migrator{*db_, embedded_migrations(GetParam())};
    run_async(migrator.up());
  }

  User add_user(const std::string& name, Role role = Role::user, bool active = true,
                std::int64_t created_at = kStart) {
    const User user{.id = id(name),
                    .email = name + "@example.com",
                    .password_hash = "hash-of-" + name,
                    .role = role,
                    .is_active = active,
                    .created_at = created_at,
                    .updated_at = created_at};
    run_async(users_.insert(user));
    return user;
  }

  Session add_session(const std::string& name, const std::string& user,
                      std::int64_t expires_at = kStart + 24 * kHour) {
    const Session session{.id = id(name),
                          .user_id = id(user),
                          .refresh_hash = "h0-" + name,
                          .created_at = kStart,
                          .expires_at = expires_at,
                          .revoked_at = std::nullopt};
    run_async(sessions_.insert(session));
    return session;
  }

  SessionState session_state(const std::string& name) {
    const Row row = run_async(db_->execute(kSessionState, params(id(name)))).rows.at(0);
    SessionState state{.refresh_hash = row.text(1), .last_used_at = row.integer(2)};
    if (!row.is_null(0)) state.revoked_at = row.integer(0);
    return state;
  }

  bool is_revoked(const std::string& session_id) {
    return session_state(session_id).revoked_at.has_value();
  }

  User user(const std::string& name) { return run_async(users_.find_by_id(id(name))).value(); }

  GuardedResult update(const std::string& name, const UserChanges& changes) {
    return run_async(users_.update(id(name), changes, kLater));
  }

  RotateResult rotate(const std::string& session, const std::string& user,
                      const std::string& old_hash, const std::string& new_hash,
                      std::int64_t now = kLater) {
    return run_async(sessions_.rotate(id(session), id(user), old_hash, new_hash, {.at = now}));
  }

  std::int64_t session_count() {
    return run_async(db_->execute(kCountSessions, {})).rows.at(0).integer(0);
  }

  std::unique_ptr<Database> open_backend() {
    if (GetParam() == Dialect::sqlite) return open_sqlite({.path = file_.str(), .threads = 4});
    pg_ = std::make_unique<PgTestDatabase>();
    return open_postgres({.conninfo = pg_->url()});
  }

  TempPath file_;
  std::unique_ptr<PgTestDatabase> pg_;
  std::unique_ptr<Database> db_ = open_backend();
  UserRepository users_{*db_};
  SessionRepository sessions_{*db_};
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

TEST_P(RepositoryTest, InsertedUserIsFoundByIdAndEmail) {
  const User alice = add_user("alice", Role::admin, false, kStart + 5);
  const User found = user("alice");
  EXPECT_EQ(found.id, alice.id);
  EXPECT_EQ(found.email, "alice@example.com");
  EXPECT_EQ(found.password_hash, "hash-of-alice");
  EXPECT_EQ(found.role, Role::admin);
  EXPECT_FALSE(found.is_active);
  EXPECT_EQ(found.created_at, kStart + 5);
  EXPECT_EQ(found.updated_at, kStart + 5);
  EXPECT_EQ(run_async(users_.find_by_email("alice@example.com")).value().id, id("alice"));
  EXPECT_FALSE(run_async(users_.find_by_id(id("nobody"))).has_value());
  EXPECT_FALSE(run_async(users_.find_by_email("nobody@example.com")).has_value());
}

TEST_P(RepositoryTest, TakenEmailOrIdIsAUniqueViolation) {
  User alice = add_user("alice");
  alice.id = id("alice-2");
  EXPECT_EQ(kind_of_failure([&] { run_async(users_.insert(alice)); }),
            DbError::Kind::unique_violation);
  alice.id = id("alice");
  alice.email = "other@example.com";
  EXPECT_EQ(kind_of_failure([&] { run_async(users_.insert(alice)); }),
            DbError::Kind::unique_violation);
}

std::vector<std::string> ids_of(const std::vector<User>& users) {
  std::vector<std::string> ids;
  for (const User& u : users) ids.push_back(u.id);
  return ids;
}

models::UserQuery page(std::int64_t skip, std::int64_t limit, models::UserFilter filter = {}) {
  return {.filter = std::move(filter), .skip = skip, .limit = limit};
}

TEST_P(RepositoryTest, ListOrdersByCreationThenIdAndPages) {
  add_user("c", Role::user, true, kStart + 3);
  add_user("b", Role::user, true, kStart + 1);
  add_user("a", Role::user, true, kStart + 1);
  add_user("d", Role::user, true, kStart + 2);
  EXPECT_EQ(ids_of(run_async(users_.list(page(0, 50)))),
            (std::vector<std::string>{id("a"), id("b"), id("d"), id("c")}));
  EXPECT_EQ(ids_of(run_async(users_.list(page(1, 2)))),
            (std::vector<std::string>{id("b"), id("d")}));
  EXPECT_TRUE(run_async(users_.list(page(10, 5))).empty());
}

TEST_P(RepositoryTest, ListContinuesAfterAPositionWhateverWasAddedBefore) {
  add_user("a", Role::user, true, kStart + 1);
  add_user("b", Role::user, true, kStart + 1);
  add_user("c", Role::user, true, kStart + 2);
  auto q = page(0, 2);
  const auto first = run_async(users_.list(q));
  ASSERT_EQ(ids_of(first), (std::vector<std::string>{id("a"), id("b")}));
  add_user("early", Role::user, true, kStart);  // before the position: no shift, no repeat
  q.after = models::UserPosition{first.back().created_at, first.back().id};
  EXPECT_EQ(ids_of(run_async(users_.list(q))), (std::vector<std::string>{id("c")}));
}

TEST_P(RepositoryTest, ListFiltersByRoleAndActiveFlag) {
  add_user("root", Role::admin, true, kStart + 1);
  add_user("retired", Role::admin, false, kStart + 2);
  add_user("ann", Role::user, true, kStart + 3);
  add_user("ben", Role::user, false, kStart + 4);
  EXPECT_EQ(ids_of(run_async(users_.list(page(0, 50, {.role = Role::admin})))),
            (std::vector<std::string>{id("root"), id("retired")}));
  EXPECT_EQ(ids_of(run_async(users_.list(page(0, 50, {.is_active = false})))),
            (std::vector<std::string>{id("retired"), id("ben")}));
  EXPECT_EQ(ids_of(run_async(users_.list(page(0, 50, {.role = Role::user, .is_active = true})))),
            (std::vector<std::string>{id("ann")}));
}

TEST_P(RepositoryTest, EmailSearchMatchesALiteralSubstring) {
  add_user("a_b", Role::user, true, kStart + 1);
  add_user("axb", Role::user, true, kStart + 2);
  add_user("100%real", Role::user, true, kStart + 3);
  add_user("say\"hi", Role::user, true, kStart + 4);
  auto search = [&](std::string text) {
    return ids_of(run_async(users_.list(page(0, 50, {.email_contains = std::move(text)}))));
  };
  EXPECT_EQ(search("a_b"), (std::vector<std::string>{id("a_b")}));  // _ is no wildcard
  EXPECT_EQ(search("0%r"), (std::vector<std::string>{id("100%real")}));
  EXPECT_EQ(search("y\"h"), (std::vector<std::string>{id("say\"hi")}));
  EXPECT_EQ(search("@example.com").size(), 4u);
  EXPECT_TRUE(search("zzz").empty());
}

TEST_P(RepositoryTest, EmailSearchFollowsChangesAndDeletions) {
  add_user("alice", Role::user, true, kStart + 1);
  add_user("bob", Role::user, true, kStart + 2);
  ASSERT_EQ(update("alice", {.email = "carol@example.com"}), GuardedResult::done);
  auto search = [&](std::string text) {
    return ids_of(run_async(users_.list(page(0, 50, {.email_contains = std::move(text)}))));
  };
  EXPECT_TRUE(search("alice").empty());
  EXPECT_EQ(search("carol"), (std::vector<std::string>{id("alice")}));
  ASSERT_EQ(run_async(users_.remove(id("bob"))), GuardedResult::done);
  EXPECT_TRUE(search("bob").empty());
}

TEST_P(RepositoryTest, ListLeavesPasswordHashesInTheDatabase) {
  add_user("a", Role::user, true, kStart);
  const auto users = run_async(users_.list(page(0, 50)));
  ASSERT_EQ(users.size(), 1U);
  EXPECT_FALSE(users[0].email.empty());
  EXPECT_TRUE(users[0].password_hash.empty());
}

TEST_P(RepositoryTest, CountsTotalActiveAndActiveAdmins) {
  const UserCounts empty = run_async(users_.counts());
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.active, 0);
  EXPECT_EQ(empty.admins, 0);
  add_user("admin", Role::admin, true);
  add_user("old-admin", Role::admin, false);
  add_user("user", Role::user, true);
  add_user("gone", Role::user, false);
  const UserCounts counts = run_async(users_.counts());
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.active, 2);
  EXPECT_EQ(counts.admins, 1);
}

TEST_P(RepositoryTest, CountsFollowEveryChangeInTheSameTransaction) {
  add_user("root", Role::admin, true);
  add_user("ann", Role::user, true);
  auto counts = [&] {
    const UserCounts c = run_async(users_.counts());
    return std::vector<std::int64_t>{c.total, c.active, c.admins};
  };
  ASSERT_EQ(update("ann", {.role = Role::admin}), GuardedResult::done);
  EXPECT_EQ(counts(), (std::vector<std::int64_t>{2, 2, 2}));
  ASSERT_EQ(update("ann", {.is_active = false}), GuardedResult::done);
  EXPECT_EQ(counts(), (std::vector<std::int64_t>{2, 1, 1}));
  ASSERT_EQ(update("ann", {.email = "ann2@example.com"}), GuardedResult::done);
  EXPECT_EQ(counts(), (std::vector<std::int64_t>{2, 1, 1}));
  // A refused change (the last active admin) changes no count.
  ASSERT_EQ(update("root", {.role = Role::user}), GuardedResult::last_admin);
  EXPECT_EQ(counts(), (std::vector<std::int64_t>{2, 1, 1}));
  ASSERT_EQ(run_async(users_.remove(id("ann"))), GuardedResult::done);
  EXPECT_EQ(counts(), (std::vector<std::int64_t>{1, 1, 1}));
}

TEST_P(RepositoryTest, UpdateChangesOnlyTheGivenFields) {
  add_user("bob");
  EXPECT_EQ(update("bob", {.email = "robert@example.com"}), GuardedResult::done);
  User bob = user("bob");
  EXPECT_EQ(bob.email, "robert@example.com");
  EXPECT_EQ(bob.role, Role::user);
  EXPECT_TRUE(bob.is_active);
  EXPECT_EQ(bob.updated_at, kLater);
  EXPECT_EQ(bob.created_at, kStart);
  EXPECT_EQ(update("bob", {.role = Role::admin, .is_active = false}), GuardedResult::done);
  bob = user("bob");
  EXPECT_EQ(bob.email, "robert@example.com");
  EXPECT_EQ(bob.role, Role::admin);
  EXPECT_FALSE(bob.is_active);
}

TEST_P(RepositoryTest, UpdateOfMissingUserIsNotFound) {
  EXPECT_EQ(update("nobody", {.role = Role::admin}), GuardedResult::not_found);
}

TEST_P(RepositoryTest, UpdateToTakenEmailFailsAndChangesNothing) {
  add_user("alice");
  add_user("bob");
  add_session("s-bob", "bob");
  EXPECT_EQ(
      kind_of_failure([&] { update("bob", {.email = "alice@example.com", .is_active = false}); }),
      DbError::Kind::unique_violation);
  EXPECT_TRUE(user("bob").is_active);
  EXPECT_FALSE(is_revoked("s-bob"));
}

TEST_P(RepositoryTest, UpdateRefusesToDemoteOrDeactivateTheLastActiveAdmin) {
  add_user("root", Role::admin);
  add_user("retired", Role::admin, false);  // an inactive admin is no admin
  add_session("s-root", "root");
  EXPECT_EQ(update("root", {.role = Role::user}), GuardedResult::last_admin);
  EXPECT_EQ(update("root", {.is_active = false}), GuardedResult::last_admin);
  EXPECT_EQ(update("root", {.email = "x@example.com", .role = Role::user}),
            GuardedResult::last_admin);
  const User root = user("root");
  EXPECT_EQ(root.role, Role::admin);
  EXPECT_TRUE(root.is_active);
  EXPECT_EQ(root.email, "root@example.com");
  EXPECT_EQ(root.updated_at, kStart);
  EXPECT_FALSE(is_revoked("s-root"));
}

TEST_P(RepositoryTest, UpdateLetsTheLastAdminChangeWhatKeepsThemAdmin) {
  add_user("root", Role::admin);
  EXPECT_EQ(update("root", {.email = "boss@example.com", .role = Role::admin, .is_active = true}),
            GuardedResult::done);
  EXPECT_EQ(user("root").email, "boss@example.com");
}

TEST_P(RepositoryTest, UpdateDemotesAnAdminWhenAnotherRemains) {
  add_user("root", Role::admin);
  add_user("deputy", Role::admin);
  EXPECT_EQ(update("deputy", {.role = Role::user}), GuardedResult::done);
  EXPECT_EQ(user("deputy").role, Role::user);
  EXPECT_EQ(update("root", {.is_active = false}), GuardedResult::last_admin);
}

TEST_P(RepositoryTest, DeactivatingEndsEverySessionOfTheUser) {
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

TEST_P(RepositoryTest, DemotingAnAdminEndsTheirSessions) {
  add_user("root", Role::admin);
  add_user("deputy", Role::admin);
  add_session("s-deputy", "deputy");
  EXPECT_EQ(update("deputy", {.role = Role::user}), GuardedResult::done);
  EXPECT_TRUE(is_revoked("s-deputy"));
}

TEST_P(RepositoryTest, OtherChangesKeepSessions) {
  add_user("bob");
  add_session("s-bob", "bob");
  EXPECT_EQ(update("bob", {.email = "robert@example.com", .role = Role::user, .is_active = true}),
            GuardedResult::done);
  EXPECT_EQ(update("bob", {.role = Role::admin}), GuardedResult::done);
  EXPECT_FALSE(is_revoked("s-bob"));
}

TEST_P(RepositoryTest, ConcurrentDemotionsLeaveOneActiveAdmin) {
  for (int round = 0; round < 10; ++round) {
    const std::string a = "a" + std::to_string(round);
    const std::string b = "b" + std::to_string(round);
    add_user(a, Role::admin);
    add_user(b, Role::admin);
    if (round > 0) {
      // Only this round's pair may be active admins.
      update("a" + std::to_string(round - 1), {.role = Role::user});
      update("b" + std::to_string(round - 1), {.role = Role::user});
    }
    // Both live until io.run() returns: the coroutines hold references to them.
    const std::vector<std::string> ids{id(a), id(b)};
    const UserChanges demote{.role = Role::user};
    boost::asio::io_context io;
    std::vector<GuardedResult> outcomes;
    for (const std::string& user_id : ids) {
      boost::asio::co_spawn(io, users_.update(user_id, demote, kLater),
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

TEST_P(RepositoryTest, RemoveDeletesTheUserAndTheirSessions) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_EQ(run_async(users_.remove(id("bob"))), GuardedResult::done);
  EXPECT_FALSE(run_async(users_.find_by_id(id("bob"))).has_value());
  EXPECT_EQ(session_count(), 0);
  EXPECT_EQ(run_async(users_.remove(id("bob"))), GuardedResult::not_found);
}

TEST_P(RepositoryTest, RemoveRefusesTheLastActiveAdmin) {
  add_user("root", Role::admin);
  add_user("retired", Role::admin, false);
  EXPECT_EQ(run_async(users_.remove(id("root"))), GuardedResult::last_admin);
  EXPECT_TRUE(run_async(users_.find_by_id(id("root"))).has_value());
  EXPECT_EQ(run_async(users_.remove(id("retired"))), GuardedResult::done);
  add_user("deputy", Role::admin);
  EXPECT_EQ(run_async(users_.remove(id("root"))), GuardedResult::done);
  EXPECT_EQ(run_async(users_.remove(id("deputy"))), GuardedResult::last_admin);
}

TEST_P(RepositoryTest, SetPasswordHashStoresTheHash) {
  add_user("bob");
  run_async(users_.set_password_hash(id("bob"), "new-hash", kLater));
  const User bob = user("bob");
  EXPECT_EQ(bob.password_hash, "new-hash");
  EXPECT_EQ(bob.updated_at, kLater);
}

TEST_P(RepositoryTest, ReplacePasswordHashOnlyOverTheHashItRead) {
  add_user("bob");
  EXPECT_FALSE(run_async(users_.replace_password_hash(id("bob"), "stale", "mine", kLater)));
  EXPECT_EQ(user("bob").password_hash, "hash-of-bob");
  EXPECT_TRUE(run_async(users_.replace_password_hash(id("bob"), "hash-of-bob", "mine", kLater)));
  EXPECT_EQ(user("bob").password_hash, "mine");
  EXPECT_EQ(user("bob").updated_at, kLater);
  // A second change that read the same old hash finds it gone.
  EXPECT_FALSE(run_async(users_.replace_password_hash(id("bob"), "hash-of-bob", "theirs", kLater)));
  EXPECT_EQ(user("bob").password_hash, "mine");
}

TEST_P(RepositoryTest, ALoginSessionOpensOnlyOverTheHashTheLoginVerified) {
  add_user("bob");
  add_user("gone", Role::user, false);
  auto session = [](const std::string& name, const std::string& owner) {
    return Session{.id = id(name),
                   .user_id = id(owner),
                   .refresh_hash = "h0-" + name,
                   .created_at = kStart,
                   .expires_at = kStart + kHour,
                   .revoked_at = std::nullopt};
  };
  EXPECT_TRUE(run_async(sessions_.open_if_password(session("s1", "bob"), "hash-of-bob")));
  EXPECT_EQ(session_state("s1").refresh_hash, "h0-s1");
  EXPECT_FALSE(is_revoked("s1"));
  // The password changed while the login verified the old one: no session.
  EXPECT_FALSE(run_async(sessions_.open_if_password(session("s2", "bob"), "hash-before")));
  // Deactivated, or deleted, meanwhile: none either (and no foreign-key error).
  EXPECT_FALSE(run_async(sessions_.open_if_password(session("s3", "gone"), "hash-of-gone")));
  EXPECT_FALSE(run_async(sessions_.open_if_password(session("s4", "nobody"), "hash-of-nobody")));
  constexpr Query kCount{"test_count_sessions", "SELECT COUNT(*) FROM sessions"};
  EXPECT_EQ(run_async(db_->execute(kCount, {})).rows.at(0).integer(0), 1);
}

TEST_P(RepositoryTest, FindActiveWithSessionNeedsAnOpenSessionOfAnActiveUser) {
  add_user("bob");
  add_user("carol");
  add_user("gone", Role::user, false);
  add_session("s-bob", "bob", kLater + 1);
  add_session("s-carol", "carol");
  add_session("s-gone", "gone");
  const auto find = [&](const std::string& uid, const std::string& sid, std::int64_t now) {
    return run_async(users_.find_active_with_session(id(uid), id(sid), now));
  };
  EXPECT_EQ(find("bob", "s-bob", kLater).value().id, id("bob"));
  EXPECT_FALSE(find("bob", "s-bob", kLater + 1).has_value());  // expired
  EXPECT_FALSE(find("bob", "s-carol", kLater).has_value());    // another user's session
  EXPECT_FALSE(find("bob", "nope", kLater).has_value());
  EXPECT_FALSE(find("gone", "s-gone", kLater).has_value());  // inactive user
  run_async(sessions_.revoke(id("s-bob"), kLater));
  EXPECT_FALSE(find("bob", "s-bob", kLater).has_value());  // revoked
}

// --- sessions ----------------------------------------------------------------------------

TEST_P(RepositoryTest, InsertWithUserStoresBothOrNeither) {
  const User dave{.id = id("dave"),
                  .email = "dave@example.com",
                  .password_hash = "h",
                  .role = Role::user,
                  .created_at = kStart,
                  .updated_at = kStart};
  const Session first{.id = id("s1"),
                      .user_id = id("dave"),
                      .refresh_hash = "r1",
                      .created_at = kStart,
                      .expires_at = kLater,
                      .revoked_at = std::nullopt};
  run_async(sessions_.insert_with_user(dave, first));
  EXPECT_TRUE(run_async(users_.find_by_id(id("dave"))).has_value());
  EXPECT_EQ(session_state("s1").refresh_hash, "r1");

  User twin = dave;
  twin.id = id("twin");
  const Session second{.id = id("s2"),
                       .user_id = id("twin"),
                       .refresh_hash = "r2",
                       .created_at = kStart,
                       .expires_at = kLater,
                       .revoked_at = std::nullopt};
  EXPECT_EQ(kind_of_failure([&] { run_async(sessions_.insert_with_user(twin, second)); }),
            DbError::Kind::unique_violation);
  EXPECT_FALSE(run_async(users_.find_by_id(id("twin"))).has_value());
  EXPECT_EQ(session_count(), 1);
}

TEST_P(RepositoryTest, SessionOfUnknownUserIsRefused) {
  EXPECT_EQ(kind_of_failure([&] { add_session("s1", "nobody"); }), DbError::Kind::other);
}

TEST_P(RepositoryTest, RotateSwapsTheHashOnce) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_EQ(rotate("s1", "bob", "h0-s1", "h1"), RotateResult::rotated);
  const SessionState state = session_state("s1");
  EXPECT_EQ(state.refresh_hash, "h1");
  EXPECT_EQ(state.last_used_at, kLater);
  EXPECT_FALSE(state.revoked_at.has_value());
  EXPECT_EQ(rotate("s1", "bob", "h1", "h2"), RotateResult::rotated);
}

TEST_P(RepositoryTest, ReplayingASpentTokenRevokesTheSession) {
  add_user("bob");
  add_session("s1", "bob");
  ASSERT_EQ(rotate("s1", "bob", "h0-s1", "h1"), RotateResult::rotated);
  EXPECT_EQ(rotate("s1", "bob", "h0-s1", "h-attacker"), RotateResult::reused);
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_EQ(rotate("s1", "bob", "h1", "h2"), RotateResult::invalid);  // the holder is out too
}

TEST_P(RepositoryTest, RotateIsInvalidForClosedOrForeignSessions) {
  add_user("bob");
  add_user("carol");
  add_user("gone", Role::user, false);
  add_session("s-bob", "bob");
  add_session("s-short", "bob", kLater);
  add_session("s-gone", "gone");
  add_session("s-revoked", "bob");
  run_async(sessions_.revoke(id("s-revoked"), kStart));
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

TEST_P(RepositoryTest, RevokeByRefreshNeedsTheCurrentTokenOfAnOpenSession) {
  add_user("bob");
  add_session("s1", "bob");
  EXPECT_EQ(run_async(sessions_.revoke_by_refresh(id("s1"), id("carol"), "h0-s1", kLater)),
            EndResult::invalid);
  EXPECT_FALSE(is_revoked("s1"));
  EXPECT_EQ(run_async(sessions_.revoke_by_refresh(id("s1"), id("bob"), "h0-s1", kLater)),
            EndResult::ended);
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_EQ(run_async(sessions_.revoke_by_refresh(id("s1"), id("bob"), "h0-s1", kLater + 1)),
            EndResult::invalid);
}

TEST_P(RepositoryTest, RevokeByASpentRefreshTokenEndsTheSessionAsReuse) {
  add_user("bob");
  add_session("s1", "bob");
  // The thief rotated first: the owner's token is spent, and logging out with it must still
  // end the session the thief now holds.
  EXPECT_EQ(rotate("s1", "bob", "h0-s1", "h1-s1"), RotateResult::rotated);
  EXPECT_EQ(run_async(sessions_.revoke_by_refresh(id("s1"), id("bob"), "h0-s1", kLater)),
            EndResult::reused);
  EXPECT_EQ(session_state("s1").revoked_at, kLater);
  EXPECT_EQ(rotate("s1", "bob", "h1-s1", "h2-s1"), RotateResult::invalid);
}

TEST_P(RepositoryTest, RevokeKeepsTheFirstRevocationTime) {
  add_user("bob");
  add_session("s1", "bob");
  run_async(sessions_.revoke(id("s1"), kStart + 1));
  run_async(sessions_.revoke(id("s1"), kLater));
  EXPECT_EQ(session_state("s1").revoked_at, kStart + 1);
  run_async(sessions_.revoke(id("nope"), kLater));  // nothing to do, no error
}

TEST_P(RepositoryTest, RevokeAllForUserEndsOnlyTheirOpenSessions) {
  add_user("bob");
  add_user("carol");
  add_session("s1", "bob");
  add_session("s2", "bob");
  add_session("s3", "bob");
  add_session("s-carol", "carol");
  run_async(sessions_.revoke(id("s3"), kStart));
  EXPECT_EQ(run_async(sessions_.revoke_all_for_user(id("bob"), kLater)), 2);
  EXPECT_TRUE(is_revoked("s1"));
  EXPECT_TRUE(is_revoked("s2"));
  EXPECT_EQ(session_state("s3").revoked_at, kStart);
  EXPECT_FALSE(is_revoked("s-carol"));
  EXPECT_EQ(run_async(sessions_.revoke_all_for_user(id("bob"), kLater)), 0);
}

TEST_P(RepositoryTest, RevokeOthersKeepsTheCurrentSession) {
  add_user("bob");
  add_session("s1", "bob");
  add_session("s2", "bob");
  add_session("s3", "bob");
  EXPECT_EQ(run_async(sessions_.revoke_others_for_user(id("bob"), id("s2"), kLater)), 2);
  EXPECT_TRUE(is_revoked("s1"));
  EXPECT_FALSE(is_revoked("s2"));
  EXPECT_TRUE(is_revoked("s3"));
}

std::string backend_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::postgres ? "postgres" : "sqlite";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RepositoryTest, ::testing::Values(Dialect::sqlite), backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, RepositoryTest, ::testing::Values(Dialect::postgres),
                         backend_name);

}  // namespace
}  // namespace gh::db
