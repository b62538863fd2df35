// The mail outbox's rows on both backends (Sqlite/... in memory always, Postgres/... in the
// PostgreSQL run): the worker's lease, its end, retries and the purge of finished mail.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "db/mail_outbox_repository.hpp"
#include "db/mail_token_repository.hpp"
#include "db/migrator.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"
#include "services/crypto/token_hasher.hpp"

namespace gh::db {
namespace {

using models::MailKind;
using models::MailState;
using models::OutboxMail;
using test::run_async;

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kT0 = 1'800'000'000 * kSecond;

class MailOutboxTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Migrator migrator{*db_, embedded_migrations(GetParam())};
    run_async(migrator.up());
  }

  std::unique_ptr<Database> open_backend() {
    if (GetParam() == Dialect::sqlite) return open_sqlite({.path = ":memory:", .threads = 1});
    pg_ = std::make_unique<test::PgTestDatabase>();
    return open_postgres({.conninfo = pg_->url()});
  }

  // Mail i, queued at kT0 + i seconds.
  std::string queue(int i) {
    OutboxMail m{.id = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e0" + std::to_string(i),
                 .kind = MailKind::password_reset,
                 .recipient = "user" + std::to_string(i) + "@example.com"};
    run_async(repo_.add(m, kT0 + i * kSecond));
    return m.id;
  }

  std::vector<std::string> claim(std::int64_t now, int limit = 10) {
    std::vector<std::string> ids;
    for (const auto& m : run_async(repo_.claim(now, now + 60 * kSecond, limit)))
      ids.push_back(m.id);
    return ids;
  }

  std::unique_ptr<test::PgTestDatabase> pg_;
  std::unique_ptr<Database> db_ = open_backend();
  MailOutboxRepository repo_{*db_};
};

TEST_P(MailOutboxTest, AClaimLeasesTheOldestDueMailsOnceEach) {
  const auto a = queue(1), b = queue(2), c = queue(3);
  const std::int64_t now = kT0 + 10 * kSecond;
  const auto first = run_async(repo_.claim(now, now + 60 * kSecond, 2));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(std::set<std::string>({first[0].id, first[1].id}), std::set<std::string>({a, b}));
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].recipient.substr(0, 4), "user");
  EXPECT_EQ(first[0].kind, MailKind::password_reset);
  EXPECT_EQ(claim(now), std::vector<std::string>{c});
  EXPECT_TRUE(claim(now).empty()) << "every mail is under a live lease";
}

TEST_P(MailOutboxTest, AMailIsNotDueBeforeItsTime) {
  queue(5);
  EXPECT_TRUE(claim(kT0 + 4 * kSecond).empty());
  EXPECT_EQ(claim(kT0 + 5 * kSecond).size(), 1u);
}

TEST_P(MailOutboxTest, ALeaseThatEndsUnfinishedGivesTheMailBack) {
  const auto a = queue(1);
  ASSERT_EQ(claim(kT0 + kSecond), std::vector<std::string>{a});
  EXPECT_TRUE(claim(kT0 + 30 * kSecond).empty());
  const auto again = run_async(repo_.claim(kT0 + 61 * kSecond, kT0 + 121 * kSecond, 10));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2) << "the dead worker's attempt counts";
}

TEST_P(MailOutboxTest, FinishedMailIsNeverClaimedAndIsCounted) {
  const auto a = queue(1), b = queue(2), c = queue(3);
  claim(kT0 + 10 * kSecond);
  run_async(repo_.finish(a, MailState::sent, kT0 + 11 * kSecond, ""));
  run_async(repo_.finish(b, MailState::skipped, kT0 + 11 * kSecond, ""));
  run_async(repo_.retry_at(c, kT0 + 100 * kSecond, "SMTP 451: try later"));
  EXPECT_TRUE(claim(kT0 + 99 * kSecond).empty());
  EXPECT_EQ(claim(kT0 + 100 * kSecond), std::vector<std::string>{c});
  const auto counts = run_async(repo_.count_by_state());
  EXPECT_EQ(counts[static_cast<int>(MailState::queued)], 1);
  EXPECT_EQ(counts[static_cast<int>(MailState::sent)], 1);
  EXPECT_EQ(counts[static_cast<int>(MailState::skipped)], 1);
  EXPECT_EQ(counts[static_cast<int>(MailState::failed)], 0);
  // Finishing again changes nothing: a mail is finished once.
  run_async(repo_.finish(a, MailState::failed, kT0 + 12 * kSecond, "late"));
  EXPECT_EQ(run_async(repo_.count_by_state())[static_cast<int>(MailState::failed)], 0);
}

TEST_P(MailOutboxTest, ThePurgeDeletesFinishedMailOnlyOldestFirstInBatches) {
  const auto a = queue(1), b = queue(2), c = queue(3);
  queue(4);  // stays queued
  claim(kT0 + 10 * kSecond);
  run_async(repo_.finish(a, MailState::sent, kT0 + 11 * kSecond, ""));
  run_async(repo_.finish(b, MailState::failed, kT0 + 12 * kSecond, "SMTP 550"));
  run_async(repo_.finish(c, MailState::sent, kT0 + 13 * kSecond, ""));
  EXPECT_EQ(run_async(repo_.purge_finished(kT0 + 13 * kSecond, 1)), 1);
  EXPECT_EQ(run_async(repo_.purge_finished(kT0 + 13 * kSecond, 10)), 1);
  const auto counts = run_async(repo_.count_by_state());
  EXPECT_EQ(counts[static_cast<int>(MailState::sent)], 1) << "finished at the cutoff: kept";
  EXPECT_EQ(counts[static_cast<int>(MailState::queued)], 1) << "queued mail is never purged";
}

class MailTokenTest : public MailOutboxTest {
 protected:
  void SetUp() override {
    MailOutboxTest::SetUp();
    run_async(users_.insert({.id = kUser,
                             .email = "owner@example.com",
                             .password_hash = "x",
                             .created_at = kT0,
                             .updated_at = kT0}));
  }
  static constexpr const char* kUser = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f";
  UserRepository users_{*db_};
  MailTokenRepository tokens_{*db_};
  crypto::TokenHasher hasher_{"mail-token-test-secret-0123456789abcdef", "mail-token"};
};

TEST_P(MailTokenTest, ATokenIsSpentOnceBeforeItExpiresForItsPurposeOnly) {
  const auto hash = hasher_.hash("the-token");
  run_async(tokens_.add(hash, MailKind::password_reset, kUser, "owner@example.com", kT0,
                        kT0 + 3600 * kSecond));
  EXPECT_FALSE(run_async(tokens_.consume(hash, MailKind::email_verification, kT0 + kSecond)));
  EXPECT_FALSE(
      run_async(tokens_.consume(hasher_.hash("another"), MailKind::password_reset, kT0 + kSecond)));
  const auto owner = run_async(tokens_.consume(hash, MailKind::password_reset, kT0 + kSecond));
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->user_id, kUser);
  EXPECT_EQ(owner->email, "owner@example.com");
  EXPECT_FALSE(run_async(tokens_.consume(hash, MailKind::password_reset, kT0 + 2 * kSecond)))
      << "single-use";
  const auto late = hasher_.hash("late");
  run_async(tokens_.add(late, MailKind::password_reset, kUser, "owner@example.com", kT0,
                        kT0 + 3600 * kSecond));
  EXPECT_FALSE(run_async(tokens_.consume(late, MailKind::password_reset, kT0 + 3600 * kSecond)))
      << "expired at its expiry";
  EXPECT_EQ(run_async(tokens_.purge_expired(kT0 + 3601 * kSecond, 10)), 2);
}

TEST_P(MailTokenTest, TheHashIsKeyedBySecretAndPurpose) {
  const crypto::TokenHasher other_secret{"another-secret-another-secret-0123456789", "mail-token"};
  const crypto::TokenHasher other_purpose{"mail-token-test-secret-0123456789abcdef", "other"};
  EXPECT_EQ(hasher_.hash("t"), hasher_.hash("t"));
  EXPECT_NE(hasher_.hash("t"), other_secret.hash("t"));
  EXPECT_NE(hasher_.hash("t"), other_purpose.hash("t"));
  EXPECT_EQ(hasher_.hash("t").size(), 43u);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MailTokenTest, ::testing::Values(Dialect::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, MailTokenTest, ::testing::Values(Dialect::postgres));

INSTANTIATE_TEST_SUITE_P(Sqlite, MailOutboxTest, ::testing::Values(Dialect::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, MailOutboxTest, ::testing::Values(Dialect::postgres));

}  // namespace
}  // namespace gh::db
