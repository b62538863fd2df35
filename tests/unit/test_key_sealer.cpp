// Sealed private keys open only under the SECRET_KEY, purpose and row they were sealed for.
#include "services/crypto/key_sealer.hpp"

#include <gtest/gtest.h>

#include "core/crypto_init.hpp"

namespace {

using gh::crypto::KeySealer;

constexpr std::string_view kSecret = "a-secret-key-of-at-least-32-bytes-for-tests";

class KeySealerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gh::crypto_init(); }
};

TEST_F(KeySealerTest, OpensWhatItSealed) {
  const KeySealer sealer(kSecret, "signing-key");
  const std::string plain(32, '\x5a');
  const auto sealed = sealer.seal(plain, "kid-1");
  EXPECT_EQ(sealer.open(sealed, "kid-1"), plain);
  EXPECT_EQ(sealed.find(plain), std::string::npos) << "the secret is not in the sealed bytes";
  // A fresh nonce each time: sealing twice gives two different values.
  EXPECT_NE(sealer.seal(plain, "kid-1"), sealed);
}

TEST_F(KeySealerTest, AnotherRowAnotherPurposeOrAnotherSecretCannotOpenIt) {
  const KeySealer sealer(kSecret, "signing-key");
  const auto sealed = sealer.seal("private", "kid-1");
  EXPECT_FALSE(sealer.open(sealed, "kid-2"));
  EXPECT_FALSE(KeySealer(kSecret, "totp-seed").open(sealed, "kid-1"));
  EXPECT_FALSE(
      KeySealer("another-secret-key-of-at-least-32-bytes", "signing-key").open(sealed, "kid-1"));
}

TEST_F(KeySealerTest, AnyChangedOrMissingByteIsRefused) {
  const KeySealer sealer(kSecret, "signing-key");
  const auto sealed = sealer.seal("private", "kid-1");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(sealer.open(bad, "kid-1")) << i;
  }
  for (std::size_t n = 0; n < sealed.size(); ++n)
    EXPECT_FALSE(sealer.open(sealed.substr(0, n), "kid-1")) << n;
  EXPECT_FALSE(sealer.open(sealed + "x", "kid-1"));
}

}  // namespace
