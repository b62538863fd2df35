// The second factor's tables on both backends (Sqlite/... in memory always, Postgres/... in
// the PostgreSQL run): a pending factor and its confirmation, each time step taken once,
// recovery codes spent once and replaced, and a login challenge's tries, expiry and spending.
#include "db/mfa_repository.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "db/migrator.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/user_repository.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"

namespace gh::db {
namespace {

using test::run_async;

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kT0 = 1'800'000'000 * kSecond;
constexpr const char* kUser = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f";

class MfaRepositoryTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    Migrator migrator{*db_, embedded_migrations(GetParam())};
    run_async(migrator.up());
    run_async(users_.insert({.id = kUser,
                             .email = "owner@example.com",
                             .password_hash = "x",
                             .created_at = kT0,
                             .updated_at = kT0}));
  }

  std::unique_ptr<Database> open_backend() {
    if (GetParam() == Dialect::sqlite) return open_sqlite({.path = ":memory:", .threads = 1});
    pg_ = std::make_unique<test::PgTestDatabase>();
    return open_postgres({.conninfo = pg_->url()});
  }

  std::unique_ptr<test::PgTestDatabase> pg_;
  std::unique_ptr<Database> db_ = open_backend();
  UserRepository users_{*db_};
  MfaRepository mfa_{*db_};
};

TEST_P(MfaRepositoryTest, APendingFactorIsReplacedUntilItIsEnabledOnce) {
  EXPECT_TRUE(run_async(mfa_.put_pending(kUser, "sealed-1", kT0)));
  EXPECT_TRUE(run_async(mfa_.put_pending(kUser, "sealed-2", kT0 + kSecond)));
  auto factor = run_async(mfa_.find(kUser));
  ASSERT_TRUE(factor);
  EXPECT_EQ(factor->sealed_secret, "sealed-2");
  EXPECT_FALSE(factor->enabled);
  EXPECT_FALSE(run_async(mfa_.use_step(kUser, 100))) << "a pending factor signs nobody in";
  EXPECT_TRUE(run_async(mfa_.enable(kUser, 100, kT0, {"h1", "h2"})));
  EXPECT_FALSE(run_async(mfa_.enable(kUser, 101, kT0, {"h3"}))) << "enabled once";
  EXPECT_FALSE(run_async(mfa_.put_pending(kUser, "sealed-3", kT0))) << "an enabled one stays";
  factor = run_async(mfa_.find(kUser));
  EXPECT_TRUE(factor->enabled);
  EXPECT_TRUE(run_async(users_.find_by_id(kUser))->mfa_enabled) << "UserOut's flag with it";
  EXPECT_EQ(factor->sealed_secret, "sealed-2");
  EXPECT_EQ(factor->last_used_step, 100) << "the confirming code counts as used";
}

TEST_P(MfaRepositoryTest, EachTimeStepIsTakenOnceAndNeverAnEarlierOne) {
  run_async(mfa_.put_pending(kUser, "sealed", kT0));
  run_async(mfa_.enable(kUser, 100, kT0, {}));
  EXPECT_FALSE(run_async(mfa_.use_step(kUser, 100)));
  EXPECT_TRUE(run_async(mfa_.use_step(kUser, 101)));
  EXPECT_FALSE(run_async(mfa_.use_step(kUser, 101)));
  EXPECT_FALSE(run_async(mfa_.use_step(kUser, 99)));
}

TEST_P(MfaRepositoryTest, RecoveryCodesAreSpentOnceAndReplacedWhole) {
  run_async(mfa_.put_pending(kUser, "sealed", kT0));
  run_async(mfa_.enable(kUser, 1, kT0, {"h1", "h2"}));
  EXPECT_TRUE(run_async(mfa_.use_recovery_code(kUser, "h1", kT0)));
  EXPECT_FALSE(run_async(mfa_.use_recovery_code(kUser, "h1", kT0)));
  EXPECT_FALSE(run_async(mfa_.use_recovery_code(kUser, "nope", kT0)));
  run_async(mfa_.replace_recovery_codes(kUser, {"h3"}));
  EXPECT_FALSE(run_async(mfa_.use_recovery_code(kUser, "h2", kT0))) << "the old ones stop";
  EXPECT_TRUE(run_async(mfa_.use_recovery_code(kUser, "h3", kT0)));
  EXPECT_TRUE(run_async(mfa_.remove(kUser)));
  EXPECT_FALSE(run_async(mfa_.find(kUser)));
  EXPECT_FALSE(run_async(users_.find_by_id(kUser))->mfa_enabled);
  EXPECT_FALSE(run_async(mfa_.remove(kUser)));
}

TEST_P(MfaRepositoryTest, AChallengeTakesFiveTriesUntilItExpiresOrIsSpent) {
  run_async(mfa_.add_challenge("c1", kUser, kT0, kT0 + 300 * kSecond));
  for (int i = 1; i <= 5; ++i) {
    const auto t = run_async(mfa_.try_challenge("c1", kT0 + kSecond, 5));
    ASSERT_TRUE(t) << i;
    EXPECT_EQ(t->user_id, kUser);
    EXPECT_EQ(t->tries, i);
  }
  EXPECT_FALSE(run_async(mfa_.try_challenge("c1", kT0 + kSecond, 5))) << "the sixth try";
  run_async(mfa_.add_challenge("c2", kUser, kT0, kT0 + 300 * kSecond));
  EXPECT_TRUE(run_async(mfa_.spend_challenge("c2", kT0)));
  EXPECT_FALSE(run_async(mfa_.spend_challenge("c2", kT0)));
  EXPECT_FALSE(run_async(mfa_.try_challenge("c2", kT0, 5))) << "spent";
  run_async(mfa_.add_challenge("c3", kUser, kT0, kT0 + 300 * kSecond));
  EXPECT_FALSE(run_async(mfa_.try_challenge("c3", kT0 + 300 * kSecond, 5))) << "expired";
  EXPECT_EQ(run_async(mfa_.purge_challenges(kT0 + 301 * kSecond, 10)), 3);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MfaRepositoryTest, ::testing::Values(Dialect::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, MfaRepositoryTest, ::testing::Values(Dialect::postgres));

}  // namespace
}  // namespace gh::db
