#include "core/base64url.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/random.hpp"

namespace gh {
namespace {

TEST(Base64Url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Url, UsesTheUrlSafeAlphabet) {
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), std::string("\xfb\xff\xbf", 3));
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 7) {
    const std::string bytes = all.substr(0, n);
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes) << n;
  }
}

TEST(Base64Url, DecodesEmptyToEmpty) {
  EXPECT_EQ(base64url_decode(""), std::string());
}

TEST(Base64Url, RefusesPadding) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zm8="));
  EXPECT_FALSE(base64url_decode("="));
}

TEST(Base64Url, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(base64url_decode("Zm9v+g"));  // standard alphabet, not URL-safe
  EXPECT_FALSE(base64url_decode("Zm9v/g"));
  EXPECT_FALSE(base64url_decode("Zm 9v"));
  EXPECT_FALSE(base64url_decode("Zm9v\n"));
  EXPECT_FALSE(base64url_decode(std::string("Zm\0v", 4)));
  EXPECT_FALSE(base64url_decode("Zm9v."));
}

TEST(Base64Url, RefusesEveryByteOutsideTheAlphabet) {
  // libsodium 1.0.18 alone would read bytes >= 0x80 as valid characters.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const std::string text = std::string("Zm9v") + c + "A";
    EXPECT_EQ(base64url_decode(text).has_value(), alphabet.find(c) != std::string::npos) << b;
  }
}

TEST(Base64Url, RefusesImpossibleLengths) {
  EXPECT_FALSE(base64url_decode("Z"));
  EXPECT_FALSE(base64url_decode("Zm9vY"));
}

TEST(Base64Url, RefusesNonCanonicalTrailingBits) {
  // "Zg" is "f"; "Zh" carries the same byte with a stray low bit set.
  EXPECT_TRUE(base64url_decode("Zg"));
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_FALSE(base64url_decode("Zm9"));  // "fo" is Zm8
}

TEST(RandomToken, HasTheEncodedLengthAndAlphabet) {
  const std::string token = random_token(32);
  EXPECT_EQ(token.size(), 43u);
  const auto raw = base64url_decode(token);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
}

TEST(RandomToken, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_token(16));
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace gh
