// AuthService against the contract (API.md, the /auth endpoints), in process: real SQLite in
// memory, real Argon2id and JWTs, the in-process throttles, and a clock the tests move.
#include <gtest/gtest.h>

#include <string>

#include "service_fixture.hpp"

namespace gh::services {
namespace {

using test::error_of;
using test::kClient;
using test::kFrom;

class AuthServiceTest : public ::testing::Test {
 protected:
  // Fails the test unless `access_token` is refused as INVALID_TOKEN.
  void expect_refused(const std::string& access_token) {
    EXPECT_EQ(error_of([&] { s.who(access_token); }), ErrorCode::invalid_token);
  }
  std::optional<ErrorCode> refresh_error(const std::string& refresh_token) {
    return error_of([&] { run_sync(s.auth.refresh(refresh_token, test::kFrom)); });
  }
  std::optional<ErrorCode> login_error(const std::string& email, const std::string& password) {
    return error_of([&] { s.login(email, password); });
  }
  std::int64_t seconds(int minutes) { return static_cast<std::int64_t>(minutes) * 60; }

  test::Services s;
};

// --- registration and tokens --------------------------------------------------------------

TEST_F(AuthServiceTest, ARegisteredUsersAccessTokenNamesThemInTheirSession) {
  const TokenPair pair = s.register_user("ada@example.com");
  const Principal who = s.who(pair.access_token);
  EXPECT_EQ(who.user.email, "ada@example.com");
  EXPECT_EQ(who.user.role, models::Role::user);
  EXPECT_TRUE(who.user.is_active);
  EXPECT_FALSE(who.session_id.empty());
  EXPECT_EQ(who.user.created_at, s.clock.now_micros());
  // A refresh token is never an access token.
  expect_refused(pair.refresh_token);
  expect_refused("not-a-token");
}

TEST_F(AuthServiceTest, RegisteringATakenEmailIsEmailTakenAndLeavesTheAccountAlone) {
  // Credentials carry the email lower-cased (schemas/auth normalizes it), so "Ada@" and
  // "ada@" reach the service as the same address; the handler test sends both spellings.
  s.register_user("ada@example.com", "first password");
  EXPECT_EQ(error_of([&] { s.register_user("ada@example.com", "second password"); }),
            ErrorCode::email_taken);
  EXPECT_NO_THROW(s.login("ada@example.com", "first password"));
  EXPECT_EQ(login_error("ada@example.com", "second password"), ErrorCode::invalid_credentials);
}

TEST_F(AuthServiceTest, ALoginOpensASessionOfItsOwn) {
  const TokenPair registered = s.register_user("ada@example.com");
  const LoginResult login = s.login("ada@example.com", "correct horse");
  EXPECT_FALSE(login.device_token.empty());
  const Principal first = s.who(registered.access_token);
  const Principal second = s.who(login.pair.access_token);
  EXPECT_EQ(first.user.id, second.user.id);
  EXPECT_NE(first.session_id, second.session_id);
}

// --- failed logins --------------------------------------------------------------------------

TEST_F(AuthServiceTest, WrongPasswordUnknownEmailAndInactiveUserFailAlike) {
  const TokenPair ada = s.register_user("ada@example.com");
  const TokenPair bob = s.register_user("bob@example.com");
  run_sync(s.user_service.update(s.id_of(bob.access_token), {.is_active = false},
                                 s.as(s.id_of(bob.access_token))));
  EXPECT_EQ(login_error("ada@example.com", "wrong password"), ErrorCode::invalid_credentials);
  EXPECT_EQ(login_error("nobody@example.com", "correct horse"), ErrorCode::invalid_credentials);
  EXPECT_EQ(login_error("bob@example.com", "correct horse"), ErrorCode::invalid_credentials);
}

TEST_F(AuthServiceTest, FailedLoginsPastTheLimitAre429UntilRetryAfterHasPassed) {
  s.register_user("ada@example.com");
  const int limit = s.settings.login_max_failures;
  for (int i = 0; i < limit; ++i)
    ASSERT_EQ(login_error("ada@example.com", "wrong password"), ErrorCode::invalid_credentials)
        << "failure " << i + 1;
  // The right password too: the throttle is checked before the password.
  const ApiError refused = test::api_error_of([&] { s.login("ada@example.com", "correct horse"); });
  EXPECT_EQ(refused.id(), ErrorCode::too_many_login_attempts);
  ASSERT_TRUE(refused.retry_after.has_value());
  const std::int64_t retry_after = *refused.retry_after;
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, s.settings.login_failure_window_seconds);
  // The limiter reads the injected clock: a second short of Retry-After is still too early.
  s.clock.advance_seconds(retry_after - 1);
  EXPECT_EQ(login_error("ada@example.com", "correct horse"), ErrorCode::too_many_login_attempts);
  s.clock.advance_seconds(1);
  EXPECT_NO_THROW(s.login("ada@example.com", "correct horse"));
}

TEST_F(AuthServiceTest, AThrottledLoginIsRefusedTheSameWhetherTheAccountExistsOrNot) {
  const int limit = s.settings.login_max_failures;
  for (int i = 0; i < limit; ++i) login_error("ghost@example.com", "wrong password");
  EXPECT_EQ(login_error("ghost@example.com", "wrong password"), ErrorCode::too_many_login_attempts);
}

TEST_F(AuthServiceTest, OneAccountsFailuresDoNotLockAnotherAccountAtTheSameAddress) {
  s.register_user("ada@example.com");
  s.register_user("bob@example.com");
  for (int i = 0; i < s.settings.login_max_failures; ++i)
    login_error("ada@example.com", "wrong password");
  ASSERT_EQ(login_error("ada@example.com", "correct horse"), ErrorCode::too_many_login_attempts);
  EXPECT_NO_THROW(s.login("bob@example.com", "correct horse"));
}

TEST_F(AuthServiceTest, ARightPasswordStartsTheCountOver) {
  s.register_user("ada@example.com");
  const int limit = s.settings.login_max_failures;
  for (int i = 0; i + 1 < limit; ++i) login_error("ada@example.com", "wrong password");
  ASSERT_NO_THROW(s.login("ada@example.com", "correct horse"));
  for (int i = 0; i + 1 < limit; ++i)
    EXPECT_EQ(login_error("ada@example.com", "wrong password"), ErrorCode::invalid_credentials);
  EXPECT_NO_THROW(s.login("ada@example.com", "correct horse"));
}

// --- refresh ----------------------------------------------------------------------------------

TEST_F(AuthServiceTest, RefreshGivesANewPairAndTheOldRefreshTokenStopsWorking) {
  const TokenPair first = s.register_user("ada@example.com");
  const std::string session = s.who(first.access_token).session_id;
  const TokenPair second = run_sync(s.auth.refresh(first.refresh_token, test::kFrom));
  EXPECT_NE(second.refresh_token, first.refresh_token);
  EXPECT_NE(second.access_token, first.access_token);
  EXPECT_EQ(s.who(second.access_token).session_id, session);  // the same session goes on
  EXPECT_EQ(refresh_error(first.refresh_token), ErrorCode::invalid_token);
}

TEST_F(AuthServiceTest, ASpentRefreshTokenPresentedAgainEndsItsWholeSession) {
  const TokenPair first = s.register_user("ada@example.com");
  const TokenPair other = s.login("ada@example.com", "correct horse").pair;
  const TokenPair second = run_sync(s.auth.refresh(first.refresh_token, test::kFrom));
  ASSERT_NO_THROW(s.who(second.access_token));
  EXPECT_EQ(refresh_error(first.refresh_token), ErrorCode::invalid_token);  // reuse
  expect_refused(second.access_token);
  expect_refused(first.access_token);
  EXPECT_EQ(refresh_error(second.refresh_token), ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(other.access_token));  // the user's other session is not the thief's
}

TEST_F(AuthServiceTest, ARefreshTokenServesUntilRefreshTokenExpireDaysAndNotAfter) {
  const std::int64_t lifetime = s.settings.refresh_token_expire_days * std::int64_t{86400};
  const TokenPair one = s.register_user("ada@example.com");
  const TokenPair two = s.login("ada@example.com", "correct horse").pair;
  s.clock.advance_seconds(lifetime - 1);
  EXPECT_NO_THROW(run_sync(s.auth.refresh(one.refresh_token, test::kFrom)));
  s.clock.advance_seconds(2);
  EXPECT_EQ(refresh_error(two.refresh_token), ErrorCode::invalid_token);
}

// --- access tokens expire ---------------------------------------------------------------------

TEST_F(AuthServiceTest, AnAccessTokenServesForAccessTokenExpireMinutesThenIsRefused) {
  // Tokens are issued and checked on the same injected clock: a token made at the manual
  // clock's time (years ago) verifies at that time.
  const TokenPair pair = s.register_user("ada@example.com");
  const std::int64_t lifetime = seconds(s.settings.access_token_expire_minutes);
  s.clock.advance_seconds(lifetime - 1);
  ASSERT_NO_THROW(s.who(pair.access_token));
  // JWT_LEEWAY_SECONDS tolerates clock skew past `exp`; beyond it the token is refused.
  s.clock.advance_seconds(1 + s.settings.jwt_leeway_seconds + 1);
  expect_refused(pair.access_token);
  // The session itself lives on: its refresh token still gets a fresh access token.
  const TokenPair fresh = run_sync(s.auth.refresh(pair.refresh_token, test::kFrom));
  EXPECT_NO_THROW(s.who(fresh.access_token));
}

// --- ending sessions --------------------------------------------------------------------------

TEST_F(AuthServiceTest, LogoutEndsThatSessionAndNoOther) {
  const TokenPair ended = s.register_user("ada@example.com");
  const TokenPair kept = s.login("ada@example.com", "correct horse").pair;
  ASSERT_NO_THROW(s.who(ended.access_token));
  run_sync(s.auth.logout(ended.refresh_token, kFrom));
  expect_refused(ended.access_token);
  EXPECT_EQ(refresh_error(ended.refresh_token), ErrorCode::invalid_token);
  EXPECT_EQ(error_of([&] { run_sync(s.auth.logout(ended.refresh_token, kFrom)); }),
            ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(kept.access_token));
}

TEST_F(AuthServiceTest, LogoutAllEndsEverySessionOfTheUserOnly) {
  const TokenPair one = s.register_user("ada@example.com");
  const TokenPair two = s.login("ada@example.com", "correct horse").pair;
  const TokenPair bob = s.register_user("bob@example.com");
  run_sync(s.auth.logout_all(s.who(two.access_token), kFrom));
  expect_refused(one.access_token);
  expect_refused(two.access_token);
  EXPECT_EQ(refresh_error(one.refresh_token), ErrorCode::invalid_token);
  EXPECT_EQ(refresh_error(two.refresh_token), ErrorCode::invalid_token);
  EXPECT_NO_THROW(s.who(bob.access_token));
  EXPECT_NO_THROW(s.login("ada@example.com", "correct horse"));  // the account stays
}

// --- password change --------------------------------------------------------------------------

TEST_F(AuthServiceTest, AWrongCurrentPasswordChangesNothing) {
  const TokenPair current = s.register_user("ada@example.com");
  const TokenPair other = s.login("ada@example.com", "correct horse").pair;
  const Principal who = s.who(current.access_token);
  EXPECT_EQ(
      error_of([&] {
        run_sync(s.auth.change_password(who, {"wrong password", "a new password"}, kClient, kFrom));
      }),
      ErrorCode::invalid_credentials);
  EXPECT_NO_THROW(s.who(other.access_token));
  EXPECT_NO_THROW(s.login("ada@example.com", "correct horse"));
  EXPECT_EQ(login_error("ada@example.com", "a new password"), ErrorCode::invalid_credentials);
}

TEST_F(AuthServiceTest, APasswordChangeEndsEveryOtherSessionAndKeepsTheCurrentOne) {
  const TokenPair current = s.register_user("ada@example.com");
  const TokenPair other = s.login("ada@example.com", "correct horse").pair;
  run_sync(s.auth.change_password(s.who(current.access_token), {"correct horse", "battery staple"},
                                  kClient, kFrom));
  EXPECT_NO_THROW(s.who(current.access_token));
  EXPECT_NO_THROW(run_sync(s.auth.refresh(current.refresh_token, test::kFrom)));
  expect_refused(other.access_token);
  EXPECT_EQ(refresh_error(other.refresh_token), ErrorCode::invalid_token);
  EXPECT_EQ(login_error("ada@example.com", "correct horse"), ErrorCode::invalid_credentials);
  EXPECT_NO_THROW(s.login("ada@example.com", "battery staple"));
}

TEST_F(AuthServiceTest, WrongCurrentPasswordsCountAsFailedLogins) {
  const TokenPair current = s.register_user("ada@example.com");
  const Principal who = s.who(current.access_token);
  for (int i = 0; i < s.settings.login_max_failures; ++i) {
    ASSERT_EQ(error_of([&] {
                run_sync(s.auth.change_password(who, {"wrong password", "battery staple"}, kClient,
                                                kFrom));
              }),
              ErrorCode::invalid_credentials);
  }
  EXPECT_EQ(
      error_of([&] {
        run_sync(s.auth.change_password(who, {"correct horse", "battery staple"}, kClient, kFrom));
      }),
      ErrorCode::too_many_login_attempts);
}

}  // namespace
}  // namespace gh::services
