// The signing keys' life through services::SigningKeys, on both backends (Sqlite/... in
// memory always, Postgres/... in the PostgreSQL run): the guards, the audit events written
// with each change, the ring every request reads, and the access tokens it signs and checks
// (TokenService with a ring), under a ManualClock.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "core/api_error.hpp"
#include "core/base64url.hpp"
#include "core/clock.hpp"
#include "db/audit_repository.hpp"
#include "db/migrator.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/signing_key_repository.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "pg_test_database.hpp"
#include "run_async.hpp"
#include "services/signing_keys.hpp"
#include "services/token_service.hpp"

namespace gh::services {
namespace {

using models::KeyState;
using test::run_async;

constexpr std::string_view kSecret = "signing-keys-test-secret-0123456789abcdef";
constexpr std::int64_t kPropagationSeconds = 600;
constexpr int kAccessMinutes = 15;
constexpr std::int64_t kLeewaySeconds = 10;

ErrorCode code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ApiError& e) {
    return e.id();
  }
  ADD_FAILURE() << "expected an ApiError";
  return ErrorCode::internal_error;
}

class SigningKeysTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    db::Migrator migrator{*db_, db::embedded_migrations(GetParam())};
    run_async(migrator.up());
  }

  std::unique_ptr<db::Database> open_backend() {
    if (GetParam() == db::Dialect::sqlite)
      return db::open_sqlite({.path = ":memory:", .threads = 1});
    pg_ = std::make_unique<test::PgTestDatabase>();
    return db::open_postgres({.conninfo = pg_->url()});
  }

  KeyCommand admin(bool force = false) {
    return {.actor = {.id = "01936f3e-7c1a-7b8e-9a4f-2d5c6b7a8e9f"}, .force = force};
  }

  models::SigningKey state_of(const std::string& kid) { return *run_async(repo_.find(kid)); }

  // The types of the events recorded, sorted (the clock stands still, so their order in
  // the log is not the order of the calls).
  std::multiset<std::string> audited() {
    std::multiset<std::string> types;
    for (const auto& e : run_async(audit_events_.list({.limit = 100})))
      types.emplace(models::audit_type_name(e.type));
    return types;
  }

  // An access token as the ring signs it now, checked as a request's would be.
  std::string access_token() { return tokens_.issue("user-1", "session-1").pair.access_token; }
  bool accepted(const std::string& token) { return tokens_.verify(token, "access").has_value(); }

  std::unique_ptr<test::PgTestDatabase> pg_;
  std::unique_ptr<db::Database> db_ = open_backend();
  ManualClock clock_;
  db::SigningKeyRepository repo_{*db_};
  db::AuditRepository audit_events_{*db_};
  crypto::KeySealer sealer_{kSecret, "signing-key"};
  KeyRing ring_{sealer_, true};
  AuditQueue queue_{100};
  AuditStats stats_;
  AuditLog audit_{{}, clock_, queue_, stats_};
  SigningKeys keys_{repo_,
                    ring_,
                    sealer_,
                    clock_,
                    audit_,
                    {.propagation_micros = kPropagationSeconds * 1'000'000,
                     .token_lifetime_micros = (kAccessMinutes * 60 + kLeewaySeconds) * 1'000'000}};
  crypto::JwtCodec codec_{std::string(kSecret), kLeewaySeconds};
  TokenService tokens_{codec_, clock_, kAccessMinutes, 7, &ring_};
};

TEST_P(SigningKeysTest, TheFirstStartMakesOneActiveKeyAndTheRingSignsWithIt) {
  run_async(keys_.ensure_active("EdDSA"));
  run_async(keys_.ensure_active("ES256"));  // a second start, or another instance: no new key
  const auto all = run_async(keys_.list());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, KeyState::active);
  EXPECT_EQ(all[0].alg, "EdDSA");
  const auto ring = ring_.current();
  ASSERT_TRUE(ring->signer);
  EXPECT_EQ(ring->signer->kid, all[0].kid);
  EXPECT_EQ(ring->signer->key.public_key().thumbprint(), all[0].kid);
  EXPECT_NE(ring->jwks.find(all[0].kid), std::string::npos);
  EXPECT_TRUE(accepted(access_token()));
  EXPECT_EQ(audited(), (std::multiset<std::string>{"key.created", "key.activated"}));
}

TEST_P(SigningKeysTest, ASecondActiveKeyIsAUniqueViolation) {
  run_async(keys_.ensure_active("EdDSA"));
  auto other = run_async(keys_.create("EdDSA", admin()));
  other.kid += "-copy";
  other.state = KeyState::active;
  try {
    run_async(repo_.insert(other, {}));
    ADD_FAILURE() << "two active keys";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.kind(), db::DbError::Kind::unique_violation);
  }
}

TEST_P(SigningKeysTest, ActivationWaitsUntilTheKeyHasBeenPublishedLongEnough) {
  run_async(keys_.ensure_active("EdDSA"));
  const auto first = ring_.current()->signer->kid;
  const auto old_token = access_token();
  const auto next = run_async(keys_.create("ES256", admin()));
  EXPECT_EQ(next.state, KeyState::standby);
  EXPECT_NE(ring_.current()->find(next.kid), nullptr) << "a standby key is published";
  EXPECT_EQ(code_of([&] { run_async(keys_.activate(next.kid, admin())); }),
            ErrorCode::key_not_propagated);
  clock_.advance_seconds(kPropagationSeconds);
  EXPECT_EQ(run_async(keys_.activate(next.kid, admin())).state, KeyState::active);
  EXPECT_EQ(state_of(first).state, KeyState::retired);
  EXPECT_EQ(ring_.current()->signer->kid, next.kid);
  EXPECT_TRUE(accepted(old_token)) << "a retired key still verifies what it signed";
  const auto new_token = access_token();
  EXPECT_TRUE(accepted(new_token));
  EXPECT_NE(new_token.substr(0, new_token.find('.')), old_token.substr(0, old_token.find('.')));
  EXPECT_EQ(run_async(keys_.activate(next.kid, admin())).state, KeyState::active)
      << "activating the active key changes nothing";
}

TEST_P(SigningKeysTest, ForceActivatesAtOnce) {
  run_async(keys_.ensure_active("EdDSA"));
  const auto next = run_async(keys_.create("EdDSA", admin()));
  EXPECT_EQ(run_async(keys_.activate(next.kid, admin(true))).state, KeyState::active);
}

TEST_P(SigningKeysTest, RevocationWaitsForTheRetiredKeysTokensAndNeverTakesTheActiveOne) {
  run_async(keys_.ensure_active("EdDSA"));
  const auto first = ring_.current()->signer->kid;
  const auto old_token = access_token();
  ASSERT_TRUE(accepted(old_token));  // and remembered by this thread's verified tokens
  const auto next = run_async(keys_.create("EdDSA", admin()));
  run_async(keys_.activate(next.kid, admin(true)));
  EXPECT_EQ(code_of([&] { run_async(keys_.revoke(next.kid, admin(true))); }),
            ErrorCode::active_key);
  EXPECT_EQ(code_of([&] { run_async(keys_.revoke(first, admin())); }), ErrorCode::key_still_in_use);
  clock_.advance_seconds(kAccessMinutes * 60 + kLeewaySeconds);
  const auto revoked = run_async(keys_.revoke(first, admin()));
  EXPECT_EQ(revoked.state, KeyState::revoked);
  EXPECT_TRUE(revoked.sealed_private_key.empty()) << "a revoked key's private half is gone";
  EXPECT_EQ(ring_.current()->find(first), nullptr);
  EXPECT_EQ(ring_.current()->jwks.find(first), std::string::npos);
  clock_.set_micros(clock_.now_micros() - (kAccessMinutes * 60 + kLeewaySeconds) * 1'000'000);
  EXPECT_FALSE(accepted(old_token)) << "refused, even though it was verified before";
  EXPECT_EQ(code_of([&] { run_async(keys_.activate(first, admin(true))); }),
            ErrorCode::key_revoked);
}

TEST_P(SigningKeysTest, OnlyARevokedKeyIsDeleted) {
  run_async(keys_.ensure_active("ES256"));
  const auto active = ring_.current()->signer->kid;
  const auto standby = run_async(keys_.create("ES256", admin()));
  EXPECT_EQ(code_of([&] { run_async(keys_.remove(active, admin())); }), ErrorCode::active_key);
  EXPECT_EQ(code_of([&] { run_async(keys_.remove(standby.kid, admin())); }),
            ErrorCode::key_not_revoked);
  run_async(keys_.revoke(standby.kid, admin()));  // never signed: no wait
  run_async(keys_.remove(standby.kid, admin()));
  EXPECT_FALSE(run_async(repo_.find(standby.kid)));
  EXPECT_EQ(code_of([&] { run_async(keys_.remove(standby.kid, admin())); }),
            ErrorCode::key_not_found);
  EXPECT_EQ(audited(), (std::multiset<std::string>{"key.created", "key.activated", "key.created",
                                                   "key.revoked", "key.deleted"}));
}

TEST_P(SigningKeysTest, AnotherInstancesRingFollowsTheTable) {
  run_async(keys_.ensure_active("EdDSA"));
  KeyRing other{sealer_, true};
  EXPECT_TRUE(other.install(run_async(repo_.list()), other.ticket()));
  EXPECT_FALSE(other.install(run_async(repo_.list()), other.ticket()))
      << "an unchanged table is not rebuilt";
  const auto next = run_async(keys_.create("EdDSA", admin()));
  EXPECT_EQ(other.current()->find(next.kid), nullptr);
  EXPECT_TRUE(other.install(run_async(repo_.list()), other.ticket()));
  EXPECT_NE(other.current()->find(next.kid), nullptr);
}

TEST_P(SigningKeysTest, ARefreshThatReadTheTableBeforeAChangeDoesNotUndoIt) {
  run_async(keys_.ensure_active("EdDSA"));
  KeyRing other{sealer_, true};
  const auto slow = other.ticket();
  const auto stale = run_async(repo_.list());
  const auto next = run_async(keys_.create("EdDSA", admin()));
  EXPECT_TRUE(other.install(run_async(repo_.list()), other.ticket()));
  EXPECT_FALSE(other.install(stale, slow)) << "read before the change, installed after it";
  EXPECT_NE(other.current()->find(next.kid), nullptr);
}

TEST_P(SigningKeysTest, TheActiveKeyDoesNotOpenUnderAnotherSecret) {
  run_async(keys_.ensure_active("EdDSA"));
  crypto::KeySealer other_secret{"another-secret-0123456789abcdef0123456789", "signing-key"};
  KeyRing ring{other_secret, true};
  EXPECT_THROW(ring.install(run_async(repo_.list()), ring.ticket()), std::runtime_error);
}

TEST_P(SigningKeysTest, AnHs256RingPublishesNothingButCounts) {
  run_async(keys_.ensure_active("EdDSA"));
  KeyRing hs256{sealer_, false};
  hs256.install(run_async(repo_.list()), hs256.ticket());
  EXPECT_EQ(hs256.current()->jwks, R"({"keys":[]})");
  EXPECT_FALSE(hs256.current()->signer);
  EXPECT_EQ(hs256.current()->counts[static_cast<std::size_t>(KeyState::active)], 1);
}

// ------------------------------------------------------------ access tokens under the ring

std::string header_of(const std::string& token) {
  return *base64url_decode(token.substr(0, token.find('.')));
}

// `token` with its header replaced by `header` (the signature left as it was).
std::string with_header(const std::string& token, const std::string& header) {
  return base64url_encode(header) + token.substr(token.find('.'));
}

TEST_P(SigningKeysTest, ARefreshTokenIsNeverAnAccessTokenNorTheOtherWayRound) {
  run_async(keys_.ensure_active("EdDSA"));
  const auto pair = tokens_.issue("user-1", "session-1").pair;
  EXPECT_NE(header_of(pair.access_token).find("\"EdDSA\""), std::string::npos);
  EXPECT_NE(header_of(pair.refresh_token).find("\"HS256\""), std::string::npos);
  EXPECT_TRUE(tokens_.verify(pair.access_token, "access"));
  EXPECT_TRUE(tokens_.verify(pair.refresh_token, "refresh"));
  EXPECT_FALSE(tokens_.verify(pair.refresh_token, "access"));
  EXPECT_FALSE(tokens_.verify(pair.access_token, "refresh"));
  // An HS256 access token (SECRET_KEY's, as in HS256 mode) is not one of the ring's.
  TokenService hs256{codec_, clock_, kAccessMinutes, 7};
  EXPECT_FALSE(tokens_.verify(hs256.issue("user-1", "session-1").pair.access_token, "access"));
}

TEST_P(SigningKeysTest, TheKeyNotTheTokenDecidesTheAlgorithm) {
  run_async(keys_.ensure_active("EdDSA"));
  const auto token = access_token();
  const auto kid = ring_.current()->signer->kid;
  for (const std::string alg : {"ES256", "HS256", "none", "RS256"}) {
    EXPECT_FALSE(accepted(
        with_header(token, R"({"alg":")" + alg + R"(","kid":")" + kid + R"(","typ":"JWT"})")))
        << alg;
  }
  EXPECT_FALSE(accepted(with_header(token, R"({"alg":"EdDSA","kid":"unknown","typ":"JWT"})")));
  EXPECT_FALSE(accepted(with_header(token, R"({"alg":"EdDSA","typ":"JWT"})"))) << "no kid";
  for (const std::string pointer : {"jku", "jwk", "x5u", "x5c"}) {
    EXPECT_FALSE(accepted(
        with_header(token, R"({"alg":"EdDSA","kid":")" + kid + R"(",")" + pointer + R"(":"x"})")))
        << pointer;
  }
  EXPECT_TRUE(accepted(with_header(token, header_of(token)))) << "the genuine header passes";
}

std::string backend_name(const ::testing::TestParamInfo<db::Dialect>& info) {
  return info.param == db::Dialect::postgres ? "postgres" : "sqlite";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SigningKeysTest, ::testing::Values(db::Dialect::sqlite),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Postgres, SigningKeysTest, ::testing::Values(db::Dialect::postgres),
                         backend_name);

}  // namespace
}  // namespace gh::services
