// The email flows in process (services::EmailFlows with the services it stands on, as App
// wires them, and the worker's round, services::MailDelivery, with a recording mailer):
// what each request queues, what a link's token buys, once, and until when.
#include "services/email_flows.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "db/mail_outbox_repository.hpp"
#include "db/mail_token_repository.hpp"
#include "mail/templates.hpp"
#include "recording_mailer.hpp"
#include "service_fixture.hpp"
#include "services/mail_delivery.hpp"

namespace gh::test {
namespace {

using models::MailKind;

constexpr std::int64_t kHour = 3600;

class EmailFlowsTest : public ::testing::Test {
 protected:
  // The worker's round; the tokens of the links it mailed, newest last.
  std::vector<std::string> deliver() {
    run_sync(delivery_.run_once(20));
    std::vector<std::string> tokens;
    const std::regex token("token=([A-Za-z0-9_-]{43})");
    for (const auto& m : mailer_.sent) {
      std::smatch found;
      if (std::regex_search(m.text, found, token)) tokens.push_back(found[1].str());
    }
    return tokens;
  }
  std::string last_link() {
    const auto tokens = deliver();
    EXPECT_FALSE(tokens.empty());
    return tokens.empty() ? std::string{} : tokens.back();
  }
  static std::int64_t rows(db::MailOutboxRepository& outbox) {
    const auto counts = run_sync(outbox.count_by_state());
    return counts[0] + counts[1] + counts[2] + counts[3];
  }

  Services s_;
  db::MailOutboxRepository outbox_{*s_.database};
  db::MailTokenRepository tokens_{*s_.database};
  crypto::TokenHasher token_hasher_{"email-flows-test-secret-0123456789abcdef", "mail-token"};
  LocalRateLimiter mail_requests_{5, kHour, s_.clock};
  services::EmailFlows flows_{{s_.users,
                               outbox_,
                               tokens_,
                               token_hasher_,
                               s_.hasher,
                               s_.auth,
                               s_.clock,
                               s_.audit,
                               mail_requests_,
                               {}}};
  mail::Templates templates_;
  RecordingMailer mailer_;
  services::MailStats stats_;
  services::MailDelivery delivery_{
      {outbox_, tokens_, s_.users, token_hasher_, templates_, mailer_, s_.clock, stats_},
      {.password_reset_url = "https://app.example/reset?token={token}",
       .email_verification_url = "https://app.example/verify?token={token}",
       .invitation_url = "https://app.example/join?token={token}",
       .per_account_per_hour = 100}};
};

TEST_F(EmailFlowsTest, AResetQueuesTheSameRowForAKnownAndAnUnknownAddress) {
  s_.register_user("ada@example.com");
  run_sync(flows_.request_password_reset("ada@example.com"));
  run_sync(flows_.request_password_reset("nobody@example.com"));
  EXPECT_EQ(rows(outbox_), 2);
  deliver();
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].to, "ada@example.com");
}

TEST_F(EmailFlowsTest, AResetLinkSetsThePasswordOnceEndsEverySessionAndVerifiesTheAddress) {
  const auto pair = s_.register_user("ada@example.com", "old password 1");
  run_sync(flows_.request_password_reset("ada@example.com"));
  const std::string token = last_link();
  run_sync(flows_.confirm_password_reset(token, "new password 2", kFrom));
  EXPECT_EQ(error_of([&] { s_.who(pair.access_token); }), ErrorCode::invalid_token);
  EXPECT_EQ(error_of([&] { s_.login("ada@example.com", "old password 1"); }),
            ErrorCode::invalid_credentials);
  const auto fresh = s_.login("ada@example.com", "new password 2");
  EXPECT_TRUE(s_.who(fresh.pair.access_token).user.email_verified);
  EXPECT_EQ(
      error_of([&] { run_sync(flows_.confirm_password_reset(token, "third password 3", kFrom)); }),
      ErrorCode::invalid_or_expired_token);
}

TEST_F(EmailFlowsTest, ALinkExpiresAndServesOnlyItsOwnPurpose) {
  s_.register_user("ada@example.com");
  run_sync(flows_.request_password_reset("ada@example.com"));
  const std::string token = last_link();
  EXPECT_EQ(error_of([&] { run_sync(flows_.verify_email(token, kFrom)); }),
            ErrorCode::invalid_or_expired_token)
      << "a reset link is not a verification link";
  s_.clock.advance_seconds(kHour + 1);
  EXPECT_EQ(
      error_of([&] { run_sync(flows_.confirm_password_reset(token, "new password 2", kFrom)); }),
      ErrorCode::invalid_or_expired_token);
}

TEST_F(EmailFlowsTest, AVerificationLinkProvesOnlyTheAddressItWentTo) {
  const auto pair = s_.register_user("ada@example.com");
  const auto me = s_.who(pair.access_token).user;
  run_sync(flows_.resend_verification(me));
  const std::string token = last_link();
  const auto root = s_.admin("root@example.com");
  run_sync(s_.user_service.update(me.id, {.email = "grace@example.com"},
                                  Services::as(s_.id_of(root.access_token))));
  EXPECT_EQ(error_of([&] { run_sync(flows_.verify_email(token, kFrom)); }),
            ErrorCode::invalid_or_expired_token);
  EXPECT_FALSE(run_sync(s_.users.find_by_id(me.id))->email_verified);
}

TEST_F(EmailFlowsTest, ResendingPastTheLimitIs429AndNothingForAVerifiedAddress) {
  const auto pair = s_.register_user("ada@example.com");
  const auto me = s_.who(pair.access_token).user;
  for (int i = 0; i < 5; ++i) run_sync(flows_.resend_verification(me));
  EXPECT_EQ(error_of([&] { run_sync(flows_.resend_verification(me)); }), ErrorCode::rate_limited);
  run_sync(flows_.verify_email(last_link(), kFrom));
  const auto before = rows(outbox_);
  run_sync(flows_.resend_verification(*run_sync(s_.users.find_by_id(me.id))));
  EXPECT_EQ(rows(outbox_), before);
}

TEST_F(EmailFlowsTest, AnInvitationHasNoPasswordUntilItsLinkSetsOneOnce) {
  const auto root = s_.admin("root@example.com");
  services::UserService inviting(s_.users, s_.hasher, s_.clock, s_.audit, {});
  const auto invited =
      run_sync(inviting.create({.email = "new@example.com", .role = models::Role::user},
                               Services::as(s_.id_of(root.access_token))));
  EXPECT_EQ(error_of([&] { s_.login("new@example.com", ""); }), ErrorCode::invalid_credentials);
  const std::string token = last_link();
  const auto pair = run_sync(flows_.accept_invitation(token, "chosen password 1", kFrom));
  const auto me = s_.who(pair.access_token).user;
  EXPECT_EQ(me.id, invited.id);
  EXPECT_TRUE(me.email_verified);
  EXPECT_NE(me.last_login_at, 0);
  EXPECT_EQ(
      error_of([&] { run_sync(flows_.accept_invitation(token, "chosen password 2", kFrom)); }),
      ErrorCode::invalid_or_expired_token);
}

TEST_F(EmailFlowsTest, TheOperatorsAdminCountsAsVerifiedMadeOrPromoted) {
  EXPECT_TRUE(s_.who(s_.admin("root@example.com").access_token).user.email_verified);
  s_.register_user("ada@example.com");
  EXPECT_TRUE(s_.who(s_.admin("ada@example.com").access_token).user.email_verified)
      << "promoted by create-admin";
}

TEST_F(EmailFlowsTest,
       AnAccountAnAdminMakesWithAPasswordGetsAVerificationMailWhenVerificationIsOn) {
  const auto root = s_.admin("root@example.com");
  services::UserService verifying(s_.users, s_.hasher, s_.clock, s_.audit,
                                  {.verification_on = true});
  run_sync(verifying.create({.email = "new@example.com", .password = "chosen password 1"},
                            Services::as(s_.id_of(root.access_token))));
  const std::string token = last_link();
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_NE(mailer_.sent[0].text.find("https://app.example/verify?token="), std::string::npos);
  run_sync(flows_.verify_email(token, kFrom));
}

TEST_F(EmailFlowsTest, WithoutAMailServerTheMailEndpointsAre503ForEveryAddress) {
  services::EmailFlows mute{{s_.users,
                             outbox_,
                             tokens_,
                             token_hasher_,
                             s_.hasher,
                             s_.auth,
                             s_.clock,
                             s_.audit,
                             mail_requests_,
                             {.available = false}}};
  s_.register_user("ada@example.com");
  for (const char* address : {"ada@example.com", "nobody@example.com"})
    EXPECT_EQ(error_of([&] { run_sync(mute.request_password_reset(address)); }),
              ErrorCode::email_unavailable);
  services::UserService inviting(s_.users, s_.hasher, s_.clock, s_.audit, {.available = false});
  EXPECT_EQ(
      error_of([&] { run_sync(inviting.create({.email = "new@example.com"}, Services::as({}))); }),
      ErrorCode::email_unavailable);
  EXPECT_EQ(rows(outbox_), 0);
}

}  // namespace
}  // namespace gh::test
