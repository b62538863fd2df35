// The outbox worker's one round (services::MailDelivery) on SQLite in memory under a manual
// clock, with a mailer that records what it is handed (the SMTP path itself is
// test_smtp_sender's): who gets a mail, the token behind its link, retries and giving up.
#include "services/mail_delivery.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "db/migrator.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "recording_mailer.hpp"
#include "run_async.hpp"

namespace gh::services {
namespace {

using models::MailKind;
using models::MailState;
using test::run_async;

constexpr std::int64_t kSecond = 1'000'000;

using test::RecordingMailer;

class MailDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db::Migrator migrator{*db_, db::embedded_migrations(db::Dialect::sqlite)};
    run_async(migrator.up());
    run_async(users_.insert({.id = kUser,
                             .email = "owner@example.com",
                             .password_hash = "x",
                             .created_at = clock_.now_micros(),
                             .updated_at = clock_.now_micros()}));
  }

  void queue_reset(const std::string& address, const std::string& id = kMail) {
    run_async(outbox_.add({.id = id, .kind = MailKind::password_reset, .recipient = address},
                          clock_.now_micros()));
  }
  std::array<std::int64_t, 4> states() { return run_async(outbox_.count_by_state()); }
  std::int64_t in(MailState s) { return states()[static_cast<int>(s)]; }

  static constexpr const char* kUser = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f";
  static constexpr const char* kMail = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e01";
  std::unique_ptr<db::Database> db_ = db::open_sqlite({.path = ":memory:", .threads = 1});
  ManualClock clock_;
  db::UserRepository users_{*db_};
  db::MailOutboxRepository outbox_{*db_};
  db::MailTokenRepository tokens_{*db_};
  crypto::TokenHasher hasher_{"mail-delivery-test-secret-0123456789abc", "mail-token"};
  mail::Templates templates_;
  RecordingMailer mailer_;
  MailStats stats_;
  MailDelivery delivery_{{outbox_, tokens_, users_, hasher_, templates_, mailer_, clock_, stats_},
                         {.password_reset_url = "https://app.example.com/reset?token={token}",
                          .email_verification_url = "https://app.example.com/verify?t={token}",
                          .invitation_url = "https://app.example.com/join?t={token}"}};
};

TEST_F(MailDeliveryTest, AResetForAnAddressWithoutAnAccountSendsNothing) {
  queue_reset("nobody@example.com");
  EXPECT_EQ(run_async(delivery_.run_once(10)), 1);
  EXPECT_TRUE(mailer_.sent.empty());
  EXPECT_EQ(in(MailState::skipped), 1);
  EXPECT_EQ(stats_.skipped.load(), 1u);
}

TEST_F(MailDeliveryTest, AResetMailCarriesALinkWhoseTokenIsStoredOnlyAsItsHash) {
  queue_reset("owner@example.com");
  run_async(delivery_.run_once(10));
  ASSERT_EQ(mailer_.sent.size(), 1u);
  const auto& m = mailer_.sent[0];
  EXPECT_EQ(m.to, "owner@example.com");
  std::smatch link;
  ASSERT_TRUE(std::regex_search(m.text, link, std::regex("reset\\?token=([A-Za-z0-9_-]{43})")))
      << m.text;
  EXPECT_NE(m.text.find("within 1 hour"), std::string::npos) << m.text;
  EXPECT_EQ(in(MailState::sent), 1);
  const auto owner = run_async(
      tokens_.consume(hasher_.hash(link[1].str()), MailKind::password_reset, clock_.now_micros()));
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->user_id, kUser);
  EXPECT_FALSE(
      run_async(tokens_.consume(link[1].str(), MailKind::password_reset, clock_.now_micros())))
      << "the token itself is not what is stored";
}

TEST_F(MailDeliveryTest, AServerThatIsDownDelaysTheMailWithBackoffThenItGoes) {
  queue_reset("owner@example.com");
  mailer_.next = {mail::Delivery::retry, "Couldn't connect to server"};
  run_async(delivery_.run_once(10));
  EXPECT_EQ(in(MailState::queued), 1);
  EXPECT_EQ(stats_.retried.load(), 1u);
  clock_.advance_seconds(29);
  EXPECT_EQ(run_async(delivery_.run_once(10)), 0) << "not due before its backoff";
  clock_.advance_seconds(1);
  mailer_.next = {mail::Delivery::sent, "SMTP 250"};
  EXPECT_EQ(run_async(delivery_.run_once(10)), 1);
  EXPECT_EQ(in(MailState::sent), 1);
  EXPECT_EQ(mailer_.sent.size(), 2u) << "one attempt each time";
}

TEST_F(MailDeliveryTest, ARefusalIsFinalAndAMailIsGivenUpAfterTheRetryWindow) {
  queue_reset("owner@example.com", "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e02");
  mailer_.next = {mail::Delivery::rejected, "SMTP 550: no such mailbox"};
  run_async(delivery_.run_once(10));
  EXPECT_EQ(in(MailState::failed), 1);

  queue_reset("owner@example.com", "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e03");
  mailer_.next = {mail::Delivery::retry, "SMTP 451"};
  for (int i = 0; i < 40 && in(MailState::queued) == 1; ++i) {
    run_async(delivery_.run_once(10));
    clock_.advance_seconds(3600);
  }
  EXPECT_EQ(in(MailState::failed), 2) << "given up after MAIL_RETRY_HOURS";
  EXPECT_EQ(stats_.failed.load(), 2u);
}

TEST_F(MailDeliveryTest, PastThePerAccountLimitAnHourNothingMoreGoesToTheAddress) {
  for (int i = 0; i < 7; ++i)
    queue_reset("owner@example.com", "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e1" + std::to_string(i));
  run_async(delivery_.run_once(10));
  EXPECT_EQ(mailer_.sent.size(), 5u) << "MAIL_PER_ACCOUNT_PER_HOUR is 5 by default";
  EXPECT_EQ(in(MailState::skipped), 2);
  clock_.advance_seconds(3601);
  queue_reset("owner@example.com", "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e20");
  run_async(delivery_.run_once(10));
  EXPECT_EQ(mailer_.sent.size(), 6u) << "an hour later the address may get mail again";
}

TEST_F(MailDeliveryTest, AVerificationForAnAddressTheUserNoLongerHasIsNotSent) {
  run_async(outbox_.add({.id = kMail,
                         .kind = MailKind::email_verification,
                         .recipient = "old@example.com",
                         .user_id = kUser},
                        clock_.now_micros()));
  run_async(delivery_.run_once(10));
  EXPECT_TRUE(mailer_.sent.empty());
  EXPECT_EQ(in(MailState::skipped), 1);
}

TEST(MailBackoff, DoublesFromItsBaseToAnHour) {
  EXPECT_EQ(MailDelivery::backoff_micros(1, kSecond), kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(3, kSecond), 4 * kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(40, kSecond), 3600 * kSecond);
}

TEST(MailBackoff, DoublesFromThirtySecondsToAnHour) {
  EXPECT_EQ(MailDelivery::backoff_micros(1), 30 * kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(2), 60 * kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(5), 480 * kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(8), 3600 * kSecond);
  EXPECT_EQ(MailDelivery::backoff_micros(100), 3600 * kSecond);
}

}  // namespace
}  // namespace gh::services
