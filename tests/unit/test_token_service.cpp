// TokenService::verify with its memory of verified access tokens: a remembered token is
// still refused once expired or when another type is asked for, and one service's memory
// never vouches for a token under another secret.
#include "services/token_service.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/clock.hpp"
#include "services/crypto/jwt.hpp"
#include "services/verified_tokens.hpp"

namespace gh::services {
namespace {

constexpr int kAccessMinutes = 15;

struct Issuer {
  explicit Issuer(const std::string& secret)
      : codec(secret), tokens(codec, clock, kAccessMinutes, 7) {}
  ManualClock clock;
  crypto::JwtCodec codec;
  TokenService tokens;
};

TEST(TokenService, ARememberedAccessTokenStillExpires) {
  Issuer issuer("secret-one-0123456789abcdef0123456789abcdef");
  const auto pair = issuer.tokens.issue("user-1", "session-1").pair;
  ASSERT_TRUE(issuer.tokens.verify(pair.access_token, "access"));  // verified, remembered
  const auto again = issuer.tokens.verify(pair.access_token, "access");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sub, "user-1");
  EXPECT_EQ(again->sid, "session-1");
  issuer.clock.advance_seconds(kAccessMinutes * 60 + 1);
  EXPECT_FALSE(issuer.tokens.verify(pair.access_token, "access"));
}

TEST(TokenService, ARememberedAccessTokenIsNoRefreshToken) {
  Issuer issuer("secret-one-0123456789abcdef0123456789abcdef");
  const auto pair = issuer.tokens.issue("user-1", "session-1").pair;
  ASSERT_TRUE(issuer.tokens.verify(pair.access_token, "access"));
  EXPECT_FALSE(issuer.tokens.verify(pair.access_token, "refresh"));
  EXPECT_TRUE(issuer.tokens.verify(pair.refresh_token, "refresh"));
  EXPECT_FALSE(issuer.tokens.verify(pair.refresh_token, "access"));
}

TEST(TokenService, AnotherSecretsServiceDoesNotTrustWhatOneRemembers) {
  Issuer one("secret-one-0123456789abcdef0123456789abcdef");
  Issuer other("secret-two-0123456789abcdef0123456789abcdef");
  const auto pair = one.tokens.issue("user-1", "session-1").pair;
  ASSERT_TRUE(one.tokens.verify(pair.access_token, "access"));
  EXPECT_FALSE(other.tokens.verify(pair.access_token, "access"));
}

TEST(TokenService, ATokenOneByteOffIsNotTheRememberedOne) {
  Issuer issuer("secret-one-0123456789abcdef0123456789abcdef");
  const auto pair = issuer.tokens.issue("user-1", "session-1").pair;
  ASSERT_TRUE(issuer.tokens.verify(pair.access_token, "access"));
  std::string forged = pair.access_token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(issuer.tokens.verify(forged, "access"));
  EXPECT_FALSE(issuer.tokens.verify(pair.access_token + "x", "access"));
}

TEST(TokenService, TokensStillVerifyPastTheMemorysCapacity) {
  Issuer issuer("secret-one-0123456789abcdef0123456789abcdef");
  const auto first = issuer.tokens.issue("user-0", "session-0").pair.access_token;
  ASSERT_TRUE(issuer.tokens.verify(first, "access"));
  for (std::size_t i = 1; i <= VerifiedTokens::kCapacity + 10; ++i) {
    const auto token = issuer.tokens.issue("user-" + std::to_string(i), "s").pair.access_token;
    ASSERT_TRUE(issuer.tokens.verify(token, "access")) << i;
  }
  const auto again = issuer.tokens.verify(first, "access");  // forgotten, verified anew
  ASSERT_TRUE(again);
  EXPECT_EQ(again->sub, "user-0");
}

}  // namespace
}  // namespace gh::services
