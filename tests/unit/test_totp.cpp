// RFC 6238 as authenticator apps compute it: the RFC's Appendix B vectors (SHA-1, the
// 20-byte ASCII key "12345678901234567890"), RFC 4226's HOTP vectors, base32 as otpauth URIs
// carry secrets, and the acceptance window with replay refused.
#include "services/crypto/totp.hpp"

#include <gtest/gtest.h>

namespace gh::crypto {
namespace {

const std::string kKey = "12345678901234567890";

TEST(Totp, Rfc6238AppendixBVectorsInEightDigits) {
  const std::pair<std::int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [time, code] : vectors)
    EXPECT_EQ(hotp(kKey, static_cast<std::uint64_t>(totp_step(time)), 8), code) << time;
}

TEST(Totp, Rfc4226HotpVectorsInSixDigits) {
  const char* codes[] = {"755224", "287082", "359152", "969429", "338314",
                         "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter)
    EXPECT_EQ(hotp(kKey, counter), codes[counter]) << counter;
}

TEST(Totp, Base32RoundTripsAndReadsWhatPeopleType) {
  EXPECT_EQ(base32_encode(kKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), kKey);
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), "foobar");
  EXPECT_FALSE(base32_decode("MZXW6YTB0I")) << "0 is not in the alphabet";
}

TEST(Totp, OneStepOfSkewEitherWayAndEachStepOnce) {
  const std::int64_t now = totp_step(1234567890);
  for (std::int64_t step : {now - 1, now, now + 1})
    EXPECT_EQ(totp_match(kKey, hotp(kKey, static_cast<std::uint64_t>(step)), now, 0), step);
  for (std::int64_t step : {now - 2, now + 2})
    EXPECT_FALSE(totp_match(kKey, hotp(kKey, static_cast<std::uint64_t>(step)), now, 0));
  const std::string code = hotp(kKey, static_cast<std::uint64_t>(now));
  EXPECT_FALSE(totp_match(kKey, code, now, now)) << "the step already used";
  EXPECT_FALSE(totp_match(kKey, code, now + 1, now)) << "nor a later time replaying it";
  EXPECT_FALSE(totp_match(kKey, "12345", now, 0));
  EXPECT_FALSE(totp_match(kKey, "1234567", now, 0));
}

}  // namespace
}  // namespace gh::crypto
