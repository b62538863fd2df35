// Device tokens: proof of an earlier login to one account, and nothing else.
#include "services/device_tokens.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/base64url.hpp"
#include "core/crypto_init.hpp"

namespace gh::services {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

class DeviceTokensTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto_init(); }
  DeviceTokens tokens_{"a secret key of at least thirty-two bytes"};
};

TEST_F(DeviceTokensTest, AnIssuedTokenVerifiesForItsAccountWithAStableDeviceId) {
  const std::string token = tokens_.issue("owner@example.com", kNow);
  const auto device = tokens_.verify(token, "owner@example.com", kNow + 60);
  ASSERT_TRUE(device);
  EXPECT_EQ(tokens_.verify(token, "owner@example.com", kNow + 120), device);
  // Each login gets a device of its own.
  EXPECT_NE(tokens_.verify(tokens_.issue("owner@example.com", kNow), "owner@example.com", kNow),
            device);
}

TEST_F(DeviceTokensTest, AnotherAccountsTokenProvesNothing) {
  const std::string token = tokens_.issue("attacker@example.com", kNow);
  EXPECT_FALSE(tokens_.verify(token, "owner@example.com", kNow));
}

TEST_F(DeviceTokensTest, ExpiredTokensAreRefused) {
  const std::string token = tokens_.issue("owner@example.com", kNow);
  EXPECT_TRUE(
      tokens_.verify(token, "owner@example.com", kNow + DeviceTokens::kLifetimeSeconds - 1));
  EXPECT_FALSE(tokens_.verify(token, "owner@example.com", kNow + DeviceTokens::kLifetimeSeconds));
}

TEST_F(DeviceTokensTest, ForgedAndMalformedTokensAreRefused) {
  const std::string token = tokens_.issue("owner@example.com", kNow);
  std::string bytes = *base64url_decode(token);
  bytes[20] ^= 1;  // a later expiry, say
  EXPECT_FALSE(tokens_.verify(base64url_encode(bytes), "owner@example.com", kNow));
  DeviceTokens other_key{"another secret key of thirty-two bytes or more"};
  EXPECT_FALSE(other_key.verify(token, "owner@example.com", kNow));
  for (const std::string& bad : std::vector<std::string>{"", "x", "!!!!", token.substr(1),
                                                         token + "A", std::string(200, 'A')})
    EXPECT_FALSE(tokens_.verify(bad, "owner@example.com", kNow)) << bad;
}

}  // namespace
}  // namespace gh::services
