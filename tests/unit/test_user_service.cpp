// UserService against the contract (API.md, the /users endpoints), in process: real SQLite in
// memory, the real AuthService beside it for sessions, and a clock the tests move.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "service_fixture.hpp"

namespace gh::services {
namespace {

using models::Role;
using models::UserChanges;
using test::error_of;

constexpr std::string_view kNoOne = "01890a5d-ac96-774b-bcce-b302099a8057";

class UserServiceTest : public ::testing::Test {
 protected:
  models::User update(const std::string& id, UserChanges changes) {
    return run_sync(s.user_service.update(id, std::move(changes), s.as(id)));
  }
  std::optional<ErrorCode> update_error(const std::string& id, UserChanges changes) {
    return error_of([&] { update(id, std::move(changes)); });
  }
  std::optional<ErrorCode> remove_error(const std::string& id) {
    return error_of([&] { run_sync(s.user_service.remove(id, s.as(id))); });
  }
  models::User get(const std::string& id) { return run_sync(s.user_service.get(id)); }
  models::UserCounts stats() { return run_sync(s.user_service.stats()); }

  test::Services s;
};

TEST_F(UserServiceTest, AnUnknownIdIsUserNotFoundForEveryOperation) {
  const std::string id(kNoOne);
  EXPECT_EQ(error_of([&] { get(id); }), ErrorCode::user_not_found);
  EXPECT_EQ(update_error(id, {.is_active = false}), ErrorCode::user_not_found);
  EXPECT_EQ(remove_error(id), ErrorCode::user_not_found);
}

TEST_F(UserServiceTest, GetReturnsTheUser) {
  const std::string id = s.id_of(s.register_user("ada@example.com").access_token);
  const models::User ada = get(id);
  EXPECT_EQ(ada.id, id);
  EXPECT_EQ(ada.email, "ada@example.com");
  EXPECT_EQ(ada.role, Role::user);
  EXPECT_TRUE(ada.is_active);
}

TEST_F(UserServiceTest, AnUpdateChangesWhatItNamesAndTheUpdateTime) {
  const std::string id = s.id_of(s.register_user("ada@example.com").access_token);
  const std::int64_t created = s.clock.now_micros();
  s.clock.advance_seconds(60);
  const models::User changed = update(id, {.email = "lovelace@example.com"});
  EXPECT_EQ(changed.email, "lovelace@example.com");
  EXPECT_EQ(changed.role, Role::user);
  EXPECT_TRUE(changed.is_active);
  EXPECT_EQ(changed.created_at, created);
  EXPECT_EQ(changed.updated_at, s.clock.now_micros());
  EXPECT_EQ(get(id).email, "lovelace@example.com");
  EXPECT_NO_THROW(s.login("lovelace@example.com", "correct horse"));
}

TEST_F(UserServiceTest, ChangingAnEmailToATakenOneIsEmailTaken) {
  s.register_user("ada@example.com");
  const std::string bob = s.id_of(s.register_user("bob@example.com").access_token);
  EXPECT_EQ(update_error(bob, {.email = "ada@example.com"}), ErrorCode::email_taken);
  EXPECT_EQ(get(bob).email, "bob@example.com");
}

TEST_F(UserServiceTest, TheLastActiveAdminCannotBeDemotedDeactivatedOrDeleted) {
  const std::string root = s.id_of(s.admin("root@example.com").access_token);
  EXPECT_EQ(update_error(root, {.role = Role::user}), ErrorCode::last_admin);
  EXPECT_EQ(update_error(root, {.is_active = false}), ErrorCode::last_admin);
  EXPECT_EQ(remove_error(root), ErrorCode::last_admin);
  const models::User still = get(root);
  EXPECT_EQ(still.role, Role::admin);
  EXPECT_TRUE(still.is_active);
}

TEST_F(UserServiceTest, AnInactiveAdminDoesNotCountAsAnotherAdmin) {
  const std::string root = s.id_of(s.admin("root@example.com").access_token);
  const std::string spare = s.id_of(s.admin("spare@example.com").access_token);
  update(spare, {.is_active = false});
  EXPECT_EQ(update_error(root, {.role = Role::user}), ErrorCode::last_admin);
  EXPECT_EQ(remove_error(root), ErrorCode::last_admin);
}

TEST_F(UserServiceTest, WithAnotherActiveAdminOneMayBeDemotedOrDeleted) {
  const std::string root = s.id_of(s.admin("root@example.com").access_token);
  const std::string spare = s.id_of(s.admin("spare@example.com").access_token);
  EXPECT_EQ(update(spare, {.role = Role::user}).role, Role::user);
  EXPECT_EQ(update_error(root, {.role = Role::user}), ErrorCode::last_admin);
  update(spare, {.role = Role::admin});
  run_sync(s.user_service.remove(root, s.as(root)));
  EXPECT_EQ(error_of([&] { get(root); }), ErrorCode::user_not_found);
}

TEST_F(UserServiceTest, DeactivatingAUserEndsTheirSessions) {
  const TokenPair ada = s.register_user("ada@example.com");
  const TokenPair bob = s.register_user("bob@example.com");
  update(s.id_of(ada.access_token), {.is_active = false});
  EXPECT_EQ(error_of([&] { s.who(ada.access_token); }), ErrorCode::invalid_token);
  EXPECT_EQ(error_of([&] { run_sync(s.auth.refresh(ada.refresh_token, test::kFrom)); }),
            ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(bob.access_token));
}

TEST_F(UserServiceTest, ReactivatingAUserDoesNotReviveTheirOldSessions) {
  const TokenPair ada = s.register_user("ada@example.com");
  const std::string id = s.id_of(ada.access_token);
  update(id, {.is_active = false});
  update(id, {.is_active = true});
  EXPECT_EQ(error_of([&] { s.who(ada.access_token); }), ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.login("ada@example.com", "correct horse"));
}

TEST_F(UserServiceTest, DemotingAnAdminEndsTheirSessions) {
  s.admin("root@example.com");
  const TokenPair spare = s.admin("spare@example.com");
  update(s.id_of(spare.access_token), {.role = Role::user});
  EXPECT_EQ(error_of([&] { s.who(spare.access_token); }), ErrorCode::invalid_token);
}

TEST_F(UserServiceTest, StatsCountEveryUserTheActiveOnesAndTheActiveAdmins) {
  const models::UserCounts none = stats();
  EXPECT_EQ(none.total, 0);
  EXPECT_EQ(none.active, 0);
  EXPECT_EQ(none.admins, 0);
  s.admin("root@example.com");
  const std::string retired = s.id_of(s.admin("retired@example.com").access_token);
  s.register_user("ada@example.com");
  const std::string bob = s.id_of(s.register_user("bob@example.com").access_token);
  update(retired, {.is_active = false});
  update(bob, {.is_active = false});
  const models::UserCounts counts = stats();
  EXPECT_EQ(counts.total, 4);
  EXPECT_EQ(counts.active, 2);
  EXPECT_EQ(counts.admins, 1);
}

TEST_F(UserServiceTest, StatsAreNeverOlderThanTheCallersOwnChanges) {
  const std::string ada = s.id_of(s.register_user("ada@example.com").access_token);
  EXPECT_EQ(stats().total, 1);  // now cached
  s.register_user("bob@example.com");
  EXPECT_EQ(stats().total, 2);
  update(ada, {.is_active = false});
  EXPECT_EQ(stats().active, 1);
  run_sync(s.user_service.remove(ada, s.as(ada)));
  EXPECT_EQ(stats().total, 1);
}

models::UserQuery page_of(std::int64_t skip, std::int64_t limit) {
  return {.skip = skip, .limit = limit};
}

std::vector<std::string> ids_of(const models::UserPage& page) {
  std::vector<std::string> ids;
  for (const auto& u : page.users) ids.push_back(u.id);
  return ids;
}

TEST_F(UserServiceTest, ListPagesInCreationOrderWithTheTotal) {
  std::vector<std::string> ids;
  // Registered in an order their emails do not sort in, a second apart.
  for (const char* name : {"dora", "carl", "ben", "abe", "eve"}) {
    ids.push_back(s.id_of(s.register_user(std::string(name) + "@example.com").access_token));
    s.clock.advance_seconds(1);
  }
  const auto all = run_sync(s.user_service.list(page_of(0, 50)));
  EXPECT_EQ(all.total, 5);
  EXPECT_EQ(ids_of(all), ids);
  EXPECT_FALSE(all.next) << "the page holds the last row";

  const auto page = run_sync(s.user_service.list(page_of(1, 2)));
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(ids_of(page), (std::vector<std::string>{ids[1], ids[2]}));
  ASSERT_TRUE(page.next);
  EXPECT_EQ(page.next->id, ids[2]);
  const auto past = run_sync(s.user_service.list(page_of(5, 2)));
  EXPECT_TRUE(past.users.empty());
  EXPECT_EQ(past.total, 5);
}

TEST_F(UserServiceTest, ACursorWalkSeesEveryUserOnceWithoutATotal) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(s.id_of(s.register_user("u" + std::to_string(i) + "@example.com").access_token));
    s.clock.advance_seconds(1);
  }
  std::vector<std::string> walked;
  models::UserQuery q = page_of(0, 3);
  for (int pages = 0; pages < 10; ++pages) {
    const auto page = run_sync(s.user_service.list(q));
    for (const auto& u : page.users) walked.push_back(u.id);
    if (q.after) EXPECT_FALSE(page.total) << "no total with a cursor";
    if (!page.next) break;
    q.after = page.next;
  }
  EXPECT_EQ(walked, ids);
}

TEST_F(UserServiceTest, CreateMakesAnActiveUserWhoCanLogIn) {
  const auto user = run_sync(s.user_service.create(
      {.email = "new@example.com", .role = models::Role::admin, .password = "chosen by admin"},
      s.as({})));
  EXPECT_EQ(user.role, models::Role::admin);
  EXPECT_TRUE(user.is_active);
  EXPECT_TRUE(user.password_hash.empty()) << "the hash stays inside the service";
  EXPECT_EQ(s.who(s.login("new@example.com", "chosen by admin").pair.access_token).user.id,
            user.id);
  EXPECT_EQ(error_of([&] {
              run_sync(s.user_service.create(
                  {.email = "new@example.com", .password = "another one"}, s.as({})));
            }),
            ErrorCode::email_taken);
}

}  // namespace
}  // namespace gh::services
