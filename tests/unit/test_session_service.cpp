// SessionService against the contract (API.md part two, "Sessions a person can see and end"),
// in process with the real AuthService beside it (tests/unit/service_fixture.hpp): what a
// login and a refresh record, the lists, and ending sessions.
#include "services/session_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/uuid.hpp"
#include "service_fixture.hpp"
#include "services/client_info.hpp"

namespace gh::services {
namespace {

using test::error_of;
using test::kClient;

constexpr std::int64_t kDay = 86'400'000'000;

class SessionServiceTest : public ::testing::Test {
 protected:
  // A new account's first session, from `agent`; the clock then moves on a second, so the
  // next session is newer.
  TokenPair register_user(const std::string& email, const std::string& agent = "agent/1") {
    const TokenPair pair = run_sync(s.auth.register_user({email, "correct horse"}, from(agent)));
    s.clock.advance_seconds(1);
    return pair;
  }
  TokenPair login(const std::string& email, const std::string& agent = "agent/1") {
    const TokenPair pair =
        run_sync(s.auth.login({email, "correct horse"}, kClient, from(agent))).pair;
    s.clock.advance_seconds(1);
    return pair;
  }
  static ClientInfo from(const std::string& agent) { return {"192.0.2.1", agent}; }

  std::string user_of(const TokenPair& pair) { return s.who(pair.access_token).user.id; }
  std::string sid_of(const TokenPair& pair) { return s.who(pair.access_token).session_id; }
  std::vector<std::string> ids(const std::vector<SessionEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.session.id);
    return out;
  }
  std::uint64_t revoked(RevokeReason why) {
    return counters.revocations[static_cast<std::size_t>(why)].load();
  }

  test::Services s;
  SecurityCounters counters;
  SessionService service{s.sessions, s.users, s.clock, s.audit, &counters};
};

// --- what a session records ---------------------------------------------------------------

TEST_F(SessionServiceTest, TheOwnListIsNewestFirstWithWhereEachCameFromAndTheCurrentOne) {
  const TokenPair first = register_user("ada@example.com", "browser/1");
  const TokenPair phone = login("ada@example.com", "phone/2");
  const TokenPair laptop = login("ada@example.com", "laptop/3");
  const auto list = run_sync(service.list_own(user_of(first), sid_of(phone)));
  EXPECT_EQ(ids(list), (std::vector{sid_of(laptop), sid_of(phone), sid_of(first)}));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].session.user_agent, "laptop/3");
  EXPECT_EQ(list[1].session.user_agent, "phone/2");
  EXPECT_EQ(list[2].session.user_agent, "browser/1");
  EXPECT_EQ(list[0].session.ip, "192.0.2.1");
  EXPECT_FALSE(list[0].current);
  EXPECT_TRUE(list[1].current);
  EXPECT_FALSE(list[2].current);
  EXPECT_TRUE(list[0].session.refresh_hash.empty());  // never read for a list
  EXPECT_EQ(list[2].session.last_used_at, list[2].session.created_at);
}

TEST_F(SessionServiceTest, ARefreshRecordsWhenAndFromWhereAndKeepsTheRest) {
  const TokenPair pair = register_user("ada@example.com", "old/1");
  const auto before = run_sync(service.list_own(user_of(pair), {})).at(0).session;
  s.clock.advance_seconds(3600);
  const TokenPair fresh = run_sync(s.auth.refresh(pair.refresh_token, {"198.51.100.7", "new/2"}));
  const auto after = run_sync(service.list_own(user_of(fresh), {})).at(0).session;
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.created_at, before.created_at);
  EXPECT_EQ(after.expires_at, before.expires_at);
  EXPECT_EQ(after.last_used_at, s.clock.now_micros());
  EXPECT_EQ(after.ip, "198.51.100.7");
  EXPECT_EQ(after.user_agent, "new/2");
}

TEST_F(SessionServiceTest, ALongUserAgentIsStoredCutTo256Characters) {
  const TokenPair pair = register_user("ada@example.com", std::string(1000, 'x'));
  const auto list = run_sync(service.list_own(user_of(pair), {}));
  EXPECT_EQ(list.at(0).session.user_agent, std::string(kUserAgentMaxChars, 'x'));
}

TEST_F(SessionServiceTest, TheListShowsTheNewestUpToItsLimit) {
  const TokenPair pair = register_user("ada@example.com");
  const std::string ada = user_of(pair);
  std::string newest;
  for (std::int64_t i = 0; i < kSessionListLimit + 5; ++i) {
    const std::int64_t now = s.clock.now_micros();
    newest = uuid::v7(now);
    run_sync(s.sessions.insert({.id = newest,
                                .user_id = ada,
                                .refresh_hash = "h-" + newest,
                                .created_at = now,
                                .expires_at = now + 7 * kDay}));
    s.clock.advance_seconds(1);
  }
  const auto list = run_sync(service.list_own(ada, {}));
  EXPECT_EQ(list.size(), static_cast<std::size_t>(kSessionListLimit));
  EXPECT_EQ(list.front().session.id, newest);
}

TEST(ClientInfo, AStoredUserAgentIsCutTo256CharactersOnACharacterBoundary) {
  EXPECT_EQ(stored({"192.0.2.1", std::string(300, 'x')}).user_agent,
            std::string(kUserAgentMaxChars, 'x'));
  EXPECT_EQ(stored({"192.0.2.1", "short"}).user_agent, "short");
  EXPECT_EQ(stored({"2001:db8::1", ""}).ip, "2001:db8::1");
  EXPECT_EQ(stored({"2001:db8::1", ""}).user_agent, "");
  std::string accents;  // 257 two-byte characters
  for (int i = 0; i < 257; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(stored({"", accents}).user_agent, accents.substr(0, 512));
}

// --- ending one's own sessions ------------------------------------------------------------

TEST_F(SessionServiceTest, EndingASessionStopsBothItsTokensAtOnceAndSparesTheOthers) {
  const TokenPair mine = register_user("ada@example.com");
  const TokenPair other = login("ada@example.com");
  run_sync(service.end_own(s.as(user_of(mine)), sid_of(other)));
  EXPECT_EQ(error_of([&] { s.who(other.access_token); }), ErrorCode::invalid_token);
  EXPECT_EQ(error_of([&] { run_sync(s.auth.refresh(other.refresh_token, test::kFrom)); }),
            ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(mine.access_token));
  EXPECT_EQ(ids(run_sync(service.list_own(user_of(mine), {}))), (std::vector{sid_of(mine)}));
  EXPECT_EQ(revoked(RevokeReason::session_end), 1u);
}

TEST_F(SessionServiceTest, ASessionNotOnesOwnOrEndedOrExpiredIsNotFound) {
  const TokenPair ada = register_user("ada@example.com");
  const TokenPair bob = register_user("bob@example.com");
  const std::string adas_id = user_of(ada), bobs_session = sid_of(bob);
  EXPECT_EQ(error_of([&] { run_sync(service.end_own(s.as(adas_id), bobs_session)); }),
            ErrorCode::session_not_found);
  EXPECT_NO_THROW(s.who(bob.access_token));  // left alone
  const TokenPair spare = login("ada@example.com");
  const std::string spare_session = sid_of(spare);
  run_sync(service.end_own(s.as(adas_id), spare_session));
  EXPECT_EQ(error_of([&] { run_sync(service.end_own(s.as(adas_id), spare_session)); }),
            ErrorCode::session_not_found);
  const std::string adas_session = sid_of(ada);
  s.clock.advance_seconds(8 * 86400);  // past the 7-day refresh lifetime
  EXPECT_EQ(error_of([&] { run_sync(service.end_own(s.as(adas_id), adas_session)); }),
            ErrorCode::session_not_found);
  EXPECT_TRUE(run_sync(service.list_own(adas_id, {})).empty());  // expired: not listed
  EXPECT_EQ(revoked(RevokeReason::session_end), 1u);
}

// --- admins -------------------------------------------------------------------------------

TEST_F(SessionServiceTest, AnAdminsListMarksNothingCurrentAndNeedsAUser) {
  const std::string ada = user_of(register_user("ada@example.com"));
  const auto list = run_sync(service.list_for(ada));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_FALSE(list[0].current);
  const std::string nobody = uuid::v7(s.clock.now_micros());
  EXPECT_EQ(error_of([&] { run_sync(service.list_for(nobody)); }), ErrorCode::user_not_found);
  run_sync(service.end_all_for(ada, s.as({})));
  EXPECT_TRUE(run_sync(service.list_for(ada)).empty());  // a user with none: empty
}

TEST_F(SessionServiceTest, AnAdminEndsEverySessionOfAUserWhoExists) {
  const TokenPair one = register_user("ada@example.com");
  const TokenPair two = login("ada@example.com");
  const TokenPair bob = register_user("bob@example.com");
  const std::string ada = user_of(one);
  run_sync(service.end_all_for(ada, s.as({})));
  EXPECT_EQ(error_of([&] { s.who(one.access_token); }), ErrorCode::invalid_token);
  EXPECT_EQ(error_of([&] { s.who(two.access_token); }), ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(bob.access_token));
  EXPECT_NO_THROW(run_sync(service.end_all_for(ada, s.as({}))));  // none left: still a user
  const std::string nobody = uuid::v7(s.clock.now_micros());
  EXPECT_EQ(error_of([&] { run_sync(service.end_all_for(nobody, s.as({}))); }),
            ErrorCode::user_not_found);
  EXPECT_EQ(revoked(RevokeReason::admin), 2u);
}

TEST_F(SessionServiceTest, AnAdminEndsOneSessionOfThatUserOnly) {
  const TokenPair ada = register_user("ada@example.com");
  const TokenPair bob = register_user("bob@example.com");
  const std::string adas_id = user_of(ada), adas_session = sid_of(ada), bobs_session = sid_of(bob);
  EXPECT_EQ(error_of([&] { run_sync(service.end_for(adas_id, bobs_session, s.as({}))); }),
            ErrorCode::session_not_found);
  const std::string nobody = uuid::v7(s.clock.now_micros());
  EXPECT_EQ(error_of([&] { run_sync(service.end_for(nobody, adas_session, s.as({}))); }),
            ErrorCode::user_not_found);
  run_sync(service.end_for(adas_id, adas_session, s.as({})));
  EXPECT_EQ(error_of([&] { s.who(ada.access_token); }), ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(bob.access_token));
  EXPECT_EQ(error_of([&] { run_sync(service.end_for(adas_id, adas_session, s.as({}))); }),
            ErrorCode::session_not_found);
  EXPECT_EQ(revoked(RevokeReason::admin), 1u);
}

}  // namespace
}  // namespace gh::services
