// The audit log's write side in process (API.md part two, "Audit log"): a success is written
// with its change or not at all, a failure goes through the bounded queue and the writer,
// and what the queue cannot take is counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "jobs/audit_writer.hpp"
#include "service_fixture.hpp"

namespace gh::services {
namespace {

using models::AuditOutcome;
using models::AuditType;
using test::error_of;
using test::kFrom;

// type, outcome, actor, subject, session, ip, user agent, reason, details; oldest first.
constexpr db::Query kEvents{
    "test_audit_events",
    "SELECT type, outcome, COALESCE(actor_id, ''), COALESCE(subject_user_id, ''), "
    "COALESCE(session_id, ''), COALESCE(ip, ''), COALESCE(user_agent, ''), COALESCE(reason, ''), "
    "details FROM audit_events ORDER BY occurred_at, id"};

struct Row {
  std::string type, outcome, actor, subject, session, ip, user_agent, reason, details;
};

class AuditLogTest : public ::testing::Test {
 protected:
  std::vector<Row> events() {
    std::vector<Row> rows;
    for (const auto& r : run_sync(s.database->execute(kEvents, {})).rows)
      rows.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                      r.text(7), r.text(8)});
    return rows;
  }
  std::size_t write_failures() { return run_sync(writer.write_batch()); }

  test::Services s;
  jobs::AuditWriter writer{*s.database, s.audit_queue, s.audit_stats};
};

TEST_F(AuditLogTest, ARegistrationIsWrittenWithTheUserItCreated) {
  const auto pair = s.register_user("ada@example.com");
  const auto who = s.who(pair.access_token);
  const auto rows = events();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].type, "user.registered");
  EXPECT_EQ(rows[0].outcome, "success");
  EXPECT_EQ(rows[0].actor, who.user.id);
  EXPECT_EQ(rows[0].subject, who.user.id);
  EXPECT_EQ(rows[0].session, who.session_id);
  EXPECT_EQ(rows[0].ip, kFrom.ip);
  EXPECT_EQ(rows[0].user_agent, kFrom.user_agent);
  EXPECT_EQ(rows[0].details, "{}");
}

TEST_F(AuditLogTest, AFailedLoginWaitsForTheWriterWhichNamesTheAccountByItsAddress) {
  const auto id = s.id_of(s.register_user("ada@example.com").access_token);
  s.clock.advance_seconds(1);  // events of one instant have no order among them
  EXPECT_EQ(error_of([&] { s.login("ada@example.com", "wrong password"); }),
            ErrorCode::invalid_credentials);
  s.clock.advance_seconds(1);
  EXPECT_EQ(error_of([&] { s.login("nobody@example.com", "wrong password"); }),
            ErrorCode::invalid_credentials);
  EXPECT_EQ(events().size(), 1U);  // only the registration: the failures are queued
  EXPECT_EQ(write_failures(), 2U);
  const auto rows = events();
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].type, "auth.login");
  EXPECT_EQ(rows[1].outcome, "failure");
  EXPECT_EQ(rows[1].subject, id);
  EXPECT_EQ(rows[1].actor, "");
  EXPECT_EQ(rows[1].reason, "wrong_password");
  EXPECT_EQ(rows[2].subject, "");
  EXPECT_EQ(rows[2].reason, "unknown_account");
}

// A refused logout is a failure event (README's catalog), whatever refused it: a junk token,
// and a genuine token of a session that has ended, as a refused refresh records it.
TEST_F(AuditLogTest, ALogoutWithTheTokenOfAnEndedSessionIsAFailureEvent) {
  const auto pair = s.register_user("ada@example.com");
  const auto who = s.who(pair.access_token);
  run_sync(s.auth.logout(pair.refresh_token, kFrom));
  s.clock.advance_seconds(1);
  EXPECT_EQ(error_of([&] { run_sync(s.auth.logout(pair.refresh_token, kFrom)); }),
            ErrorCode::invalid_token);
  EXPECT_EQ(write_failures(), 1U);
  const auto rows = events();
  EXPECT_EQ(rows.back().type, "session.ended");
  EXPECT_EQ(rows.back().outcome, "failure");
  EXPECT_EQ(rows.back().reason, "session_ended");
  EXPECT_EQ(rows.back().subject, who.user.id);
  EXPECT_EQ(rows.back().session, who.session_id);
  EXPECT_EQ(rows.back().actor, "");
}

TEST_F(AuditLogTest, ARefusedChangeWritesNoEvent) {
  const auto root = s.id_of(s.admin("root@example.com").access_token);
  const auto before = events().size();
  EXPECT_EQ(error_of([&] { run_sync(s.user_service.remove(root, s.as(root))); }),
            ErrorCode::last_admin);
  EXPECT_EQ(
      error_of([&] { run_sync(s.user_service.update(root, {.is_active = false}, s.as(root))); }),
      ErrorCode::last_admin);
  EXPECT_EQ(events().size(), before);
}

TEST_F(AuditLogTest, APasswordChangeAndTheSessionsItEndsAreOneTransaction) {
  const auto first = s.register_user("ada@example.com");
  s.login("ada@example.com", "correct horse");
  const auto who = s.who(first.access_token);
  s.clock.advance_seconds(1);
  run_sync(s.auth.change_password(who, {"correct horse", "battery staple"}, test::kClient, kFrom));
  auto rows = events();
  ASSERT_GE(rows.size(), 2U);
  // Both at the same instant: in either order.
  std::vector<Row> last(rows.end() - 2, rows.end());
  if (last[0].type != "password.changed") std::swap(last[0], last[1]);
  EXPECT_EQ(last[0].type, "password.changed");
  EXPECT_EQ(last[1].type, "session.ended");
  EXPECT_EQ(last[1].reason, "password_change");
  EXPECT_EQ(last[1].subject, who.user.id);
}

// The caller's session survives a password change: the session.ended event of the others
// must not name it (like an admin's "end every session", it names none).
TEST_F(AuditLogTest, ThePasswordChangesSessionEndedEventDoesNotNameTheSessionKept) {
  const auto first = s.register_user("ada@example.com");
  s.login("ada@example.com", "correct horse");
  const auto who = s.who(first.access_token);
  s.clock.advance_seconds(1);
  run_sync(s.auth.change_password(who, {"correct horse", "battery staple"}, test::kClient, kFrom));
  const auto rows = events();
  const auto ended = std::find_if(rows.begin(), rows.end(),
                                  [](const Row& r) { return r.type == "session.ended"; });
  ASSERT_NE(ended, rows.end());
  EXPECT_EQ(ended->reason, "password_change");
  EXPECT_EQ(ended->session, "");
  EXPECT_EQ(s.who(first.access_token).session_id, who.session_id);  // still open
}

TEST_F(AuditLogTest, AnUpdateNamesTheFieldsAndTheRoleAndFlagBeforeAndAfter) {
  const auto admin = s.id_of(s.admin("root@example.com").access_token);
  const auto ada = s.id_of(s.register_user("ada@example.com").access_token);
  s.clock.advance_seconds(1);
  run_sync(s.user_service.update(ada, {.role = models::Role::admin}, s.as(admin)));
  const auto rows = events();
  EXPECT_EQ(rows.back().type, "user.updated");
  EXPECT_EQ(rows.back().actor, admin);
  EXPECT_EQ(rows.back().subject, ada);
  EXPECT_EQ(rows.back().details, R"({"fields":["role"],"old_role":"user","new_role":"admin",)"
                                 R"("old_is_active":true,"new_is_active":true})");
}

// "Names of changed fields" (API.md): a field sent with the value it already has did not
// change, and the event must not say it did.
TEST_F(AuditLogTest, AnUpdateNamesOnlyTheFieldsWhoseValueChanged) {
  const auto admin = s.id_of(s.admin("root@example.com").access_token);
  const auto ada = s.id_of(s.register_user("ada@example.com").access_token);
  s.clock.advance_seconds(1);
  run_sync(s.user_service.update(
      ada, {.email = "ada@example.com", .role = models::Role::user, .is_active = false},
      s.as(admin)));
  const auto rows = events();
  const auto of_type = [&](std::string_view type) {
    return std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return r.type == type; });
  };
  EXPECT_EQ(of_type("session.ended"), 1);  // deactivated: her session ended with it
  ASSERT_EQ(of_type("user.updated"), 1);
  const auto updated = *std::find_if(rows.begin(), rows.end(),
                                     [](const Row& r) { return r.type == "user.updated"; });
  EXPECT_EQ(updated.details, R"({"fields":["is_active"],"old_role":"user","new_role":"user",)"
                             R"("old_is_active":true,"new_is_active":false})");
}

TEST_F(AuditLogTest, AFullQueueDropsAndCountsInsteadOfWaiting) {
  AuditQueue small(2);
  AuditStats stats;
  AuditLog log({}, s.clock, small, stats);
  for (int i = 0; i < 5; ++i)
    log.failed(log.event(AuditType::auth_login, AuditOutcome::failure, kFrom));
  EXPECT_EQ(small.size(), 2U);
  EXPECT_EQ(stats.dropped.load(), 3U);
  EXPECT_EQ(stats.events[static_cast<std::size_t>(AuditType::auth_login)][1].load(), 5U);
}

TEST_F(AuditLogTest, TurnedOffNothingIsWrittenOrQueued) {
  AuditStats stats;
  AuditLog off({.enabled = false}, s.clock, s.audit_queue, stats);
  const auto e = off.event(AuditType::user_deleted, AuditOutcome::success, kFrom);
  EXPECT_TRUE(off.with_change(e).empty());
  off.failed(off.event(AuditType::auth_login, AuditOutcome::failure, kFrom));
  EXPECT_EQ(s.audit_queue.size(), 0U);
}

TEST_F(AuditLogTest, ASuccessfulRefreshIsRecordedOnlyWhenIncludedARefusedOneAlways) {
  AuditStats stats;
  AuditLog plain({}, s.clock, s.audit_queue, stats);
  AuditLog with_refreshes({.record_refreshes = true}, s.clock, s.audit_queue, stats);
  EXPECT_FALSE(plain.records(AuditType::session_refreshed, AuditOutcome::success));
  EXPECT_TRUE(plain.records(AuditType::session_refreshed, AuditOutcome::failure));
  EXPECT_TRUE(with_refreshes.records(AuditType::session_refreshed, AuditOutcome::success));
}

TEST_F(AuditLogTest, DetailsAreAJsonObjectWithEveryValueEscaped) {
  AuditDetails d;
  d.add("name", std::string_view("a\"b")).add("n", std::int64_t{3}).add("ok", false);
  EXPECT_EQ(d.json(), R"({"name":"a\"b","n":3,"ok":false})");
  EXPECT_EQ(AuditDetails{}.json(), "{}");
}

}  // namespace
}  // namespace gh::services
