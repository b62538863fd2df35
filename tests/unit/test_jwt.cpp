#include "services/crypto/jwt.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

#include "core/base64url.hpp"
#include "services/crypto/token_hash.hpp"

namespace gh::crypto {
namespace {

constexpr std::string_view kSecret = "a test secret that is at least 32 bytes long";
constexpr std::int64_t kNow = 1'700'000'000;

// A token with any header and payload text, correctly signed with key.
std::string forge(std::string_view header, std::string_view payload,
                  std::string_view key = kSecret) {
  std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  return input + "." + base64url_encode(hs256(key, input));
}

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";

std::string payload_with(std::string_view extra = "") {
  return R"({"sub":"u1","type":"access","sid":"s1","jti":"j1","iat":1700000000,"exp":1700000900)" +
         std::string(extra) + "}";
}

TokenClaims sample_claims() {
  return {.sub = "user-1",
          .type = "access",
          .sid = "session-1",
          .jti = "jti-1",
          .iat = kNow,
          .exp = kNow + 900};
}

TokenError error_of(std::string_view token, std::int64_t now = kNow) {
  return JwtCodec(std::string(kSecret)).verify(token, now).error;
}

// RFC 7515 Appendix A.1: the HS256 example, byte for byte.
constexpr std::string_view kRfcKey =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
constexpr std::string_view kRfcToken =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kRfcHeader = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
constexpr std::string_view kRfcPayload =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

TEST(Rfc7515, A1SignatureMatches) {
  const auto key = base64url_decode(kRfcKey);
  ASSERT_TRUE(key);
  ASSERT_EQ(key->size(), 64u);
  const std::string input = base64url_encode(kRfcHeader) + "." + base64url_encode(kRfcPayload);
  EXPECT_EQ(input, kRfcToken.substr(0, kRfcToken.rfind('.')));
  EXPECT_EQ(base64url_encode(hs256(*key, input)), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

TEST(Rfc7515, A1TokenVerifies) {
  const auto key = base64url_decode(kRfcKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(verify_hs256_signature(kRfcToken, *key), std::string(kRfcPayload));
  EXPECT_FALSE(verify_hs256_signature(kRfcToken, "another key"));
}

TEST(Rfc7515, A1PassesTheSignatureButLacksOurClaims) {
  const auto key = base64url_decode(kRfcKey);
  ASSERT_TRUE(key);
  EXPECT_EQ(JwtCodec(*key).verify(kRfcToken, 1'300'819'380).error, TokenError::invalid_claims);
}

TEST(Hs256, AcceptsKeysOfAnyLength) {
  // RFC 4231 test case 2 (short key) and 6 (key longer than the block).
  EXPECT_EQ(base64url_encode(hs256("Jefe", "what do ya want for nothing?")),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
  EXPECT_EQ(base64url_encode(hs256(std::string(131, '\xaa'),
                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
            "YOQxWR7gtn8Niiaqy_W3f44LxiE3KMUUBUYEDw7jf1Q");
  EXPECT_EQ(hs256("", "").size(), 32u);
}

TEST(JwtCodec, WritesTheFixedHeader) {
  const std::string token = JwtCodec(std::string(kSecret)).sign(sample_claims());
  EXPECT_EQ(base64url_decode(token.substr(0, token.find('.'))), std::string(kHeader));
}

TEST(JwtCodec, RoundTrips) {
  const JwtCodec codec{std::string(kSecret)};
  const auto verified = codec.verify(codec.sign(sample_claims()), kNow);
  ASSERT_EQ(verified.error, TokenError::none);
  ASSERT_TRUE(verified.claims);
  EXPECT_EQ(verified.claims->sub, "user-1");
  EXPECT_EQ(verified.claims->type, "access");
  EXPECT_EQ(verified.claims->sid, "session-1");
  EXPECT_EQ(verified.claims->jti, "jti-1");
  EXPECT_EQ(verified.claims->iat, kNow);
  EXPECT_EQ(verified.claims->exp, kNow + 900);
}

TEST(JwtCodec, CarriesTheAssuranceLevelAndTheMethodsItImplies) {
  const JwtCodec codec{std::string(kSecret)};
  for (int aal : {1, 2}) {
    TokenClaims claims = sample_claims();
    claims.aal = aal;
    const std::string token = codec.sign(claims);
    const auto payload =
        base64url_decode(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
    ASSERT_TRUE(payload);
    EXPECT_NE(payload->find(aal == 2 ? R"("aal":"aal2","amr":["pwd","otp"])"
                                     : R"("aal":"aal1","amr":["pwd"])"),
              std::string::npos)
        << *payload;
    EXPECT_EQ(codec.verify(token, kNow).claims->aal, aal);
  }
}

TEST(JwtCodec, ATokenWithoutAalIsAal1AndAnUnknownLevelIsRefused) {
  const JwtCodec codec{std::string(kSecret)};
  EXPECT_EQ(codec.verify(forge(kHeader, payload_with()), kNow).claims->aal, 1);
  EXPECT_EQ(codec.verify(forge(kHeader, payload_with(R"(,"aal":"aal2")")), kNow).claims->aal, 2);
  for (const char* bad : {R"(,"aal":"aal3")", R"(,"aal":2)", R"(,"aal":null)", R"(,"aal":"")"})
    EXPECT_EQ(codec.verify(forge(kHeader, payload_with(bad)), kNow).error,
              TokenError::invalid_claims)
        << bad;
}

TEST(JwtCodec, SignsWithTheSecretBytesAsWritten) {
  const std::string token = JwtCodec(std::string(kSecret)).sign(sample_claims());
  const auto payload = verify_hs256_signature(token, kSecret);
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->find(R"("sub":"user-1")"), std::string::npos);
  EXPECT_EQ(error_of(forge(kHeader, payload_with())), TokenError::none);
}

TEST(JwtCodec, RefusesTokensFromAnotherSecret) {
  const std::string token = JwtCodec("some other secret").sign(sample_claims());
  EXPECT_EQ(error_of(token), TokenError::bad_signature);
}

TEST(JwtCodec, RefusesATamperedPayload) {
  const std::string token = forge(kHeader, payload_with());
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  const std::string other = base64url_encode(payload_with(R"(,"role":"admin")"));
  const std::string tampered = token.substr(0, dot1 + 1) + other + token.substr(dot2);
  EXPECT_EQ(error_of(tampered), TokenError::bad_signature);
}

TEST(JwtCodec, RefusesATamperedHeader) {
  const std::string token = forge(kHeader, payload_with());
  const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT","x":1})");
  EXPECT_EQ(error_of(header + token.substr(token.find('.'))), TokenError::bad_signature);
}

TEST(JwtCodec, RefusesATamperedSignature) {
  std::string token = forge(kHeader, payload_with());
  const auto at = token.rfind('.') + 1;
  token[at] = token[at] == 'A' ? 'B' : 'A';
  EXPECT_EQ(error_of(token), TokenError::bad_signature);
}

TEST(JwtCodec, RefusesAShortSignature) {
  const std::string token = forge(kHeader, payload_with());
  const std::string input = token.substr(0, token.rfind('.'));
  const std::string mac = hs256(kSecret, input);
  EXPECT_EQ(error_of(input + "." + base64url_encode(mac.substr(0, 31))), TokenError::bad_signature);
  EXPECT_EQ(error_of(input + "." + base64url_encode(mac + "x")), TokenError::bad_signature);
}

TEST(JwtCodec, RefusesAlgNone) {
  const std::string header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = base64url_encode(payload_with());
  EXPECT_EQ(error_of(header + "." + payload + "."), TokenError::malformed);
  EXPECT_EQ(error_of(header + "." + payload), TokenError::malformed);
  EXPECT_EQ(error_of(forge(R"({"alg":"none","typ":"JWT"})", payload_with())),
            TokenError::unsupported_algorithm);
  EXPECT_FALSE(verify_hs256_signature(forge(R"({"alg":"none"})", payload_with()), kSecret));
}

TEST(JwtCodec, RefusesEveryOtherAlgorithm) {
  for (const char* header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"HS384"})", R"({"alg":"hs256"})",
        R"({"alg":"HS256 "})", R"({"alg":"RS256"})", R"({"alg":"ES256"})", R"({"alg":"EdDSA"})",
        R"({"alg":null})", R"({"alg":256})", R"({"alg":["HS256"]})", R"({"typ":"JWT"})"}) {
    // Signed with the shared secret, as an alg-confusion attacker would do with a public key.
    EXPECT_EQ(error_of(forge(header, payload_with())), TokenError::unsupported_algorithm) << header;
  }
}

TEST(JwtCodec, RefusesCritAndKid) {
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","crit":["exp"]})", payload_with())),
            TokenError::unsupported_algorithm);
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","kid":"k1"})", payload_with())),
            TokenError::malformed);
}

TEST(JwtCodec, ChecksTyp) {
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256"})", payload_with())), TokenError::none);
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","typ":"jwt"})", payload_with())), TokenError::none);
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","typ":"JWE"})", payload_with())),
            TokenError::malformed);
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","typ":1})", payload_with())), TokenError::malformed);
}

TEST(JwtCodec, EnforcesExpiryWithLeeway) {
  const std::string token = forge(kHeader, payload_with());  // exp 1700000900
  EXPECT_EQ(error_of(token, 1'700'000'900), TokenError::none);
  EXPECT_EQ(error_of(token, 1'700'000'901), TokenError::expired);
  const JwtCodec lenient{std::string(kSecret), 30};
  EXPECT_EQ(lenient.verify(token, 1'700'000'930).error, TokenError::none);
  EXPECT_EQ(lenient.verify(token, 1'700'000'931).error, TokenError::expired);
  EXPECT_FALSE(lenient.verify(token, 1'700'000'931).claims);
}

TEST(JwtCodec, HandlesExtremeExpiries) {
  const auto with_exp = [](std::string_view exp) {
    return forge(kHeader,
                 std::string(R"({"sub":"u","type":"access","sid":"s","jti":"j","iat":1,)") +
                     R"("exp":)" + std::string(exp) + "}");
  };
  const JwtCodec lenient{std::string(kSecret), 60};
  EXPECT_EQ(lenient.verify(with_exp("-9223372036854775808"), kNow).error, TokenError::expired);
  EXPECT_EQ(lenient.verify(with_exp("9223372036854775807"), kNow).error, TokenError::none);
  EXPECT_EQ(lenient.verify(with_exp("9223372036854775808"), kNow).error,
            TokenError::invalid_claims);
}

TEST(JwtCodec, RequiresEveryClaim) {
  const std::string full = payload_with();
  for (const char* claim : {R"("sub":"u1",)", R"("type":"access",)", R"("sid":"s1",)",
                            R"("jti":"j1",)", R"("iat":1700000000,)", R"(,"exp":1700000900)"}) {
    std::string payload = full;
    payload.erase(payload.find(claim), std::string_view(claim).size());
    EXPECT_EQ(error_of(forge(kHeader, payload)), TokenError::invalid_claims) << payload;
  }
}

TEST(JwtCodec, RequiresWellTypedClaims) {
  for (const char* payload : {
           R"({"sub":1,"type":"a","sid":"s","jti":"j","iat":1,"exp":1700000900})",
           R"({"sub":"","type":"a","sid":"s","jti":"j","iat":1,"exp":1700000900})",
           R"({"sub":"u","type":null,"sid":"s","jti":"j","iat":1,"exp":1700000900})",
           R"({"sub":"u","type":"a","sid":["s"],"jti":"j","iat":1,"exp":1700000900})",
           R"({"sub":"u","type":"a","sid":"s","jti":"j","iat":"1","exp":1700000900})",
           R"({"sub":"u","type":"a","sid":"s","jti":"j","iat":1,"exp":1700000900.5})",
           R"({"sub":"u","type":"a","sid":"s","jti":"j","iat":1,"exp":1.7e9})",
           R"({"sub":"u","type":"a","sid":"s","jti":"j","iat":1,"exp":true})",
       }) {
    EXPECT_EQ(error_of(forge(kHeader, payload)), TokenError::invalid_claims) << payload;
  }
  const std::string long_sub = std::string(R"({"sub":")") + std::string(257, 'x') +
                               R"(","type":"a","sid":"s","jti":"j","iat":1,"exp":1700000900})";
  EXPECT_EQ(error_of(forge(kHeader, long_sub)), TokenError::invalid_claims);
}

TEST(JwtCodec, IgnoresUnknownClaims) {
  EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"iss":"x","nested":{"a":[1,2]})"))),
            TokenError::none);
}

TEST(JwtCodec, RefusesDuplicateKeys) {
  // Boost.JSON would keep the last "sub"; another reader might keep the first.
  EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"sub":"admin")"))), TokenError::malformed);
  EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"x":{"a":1,"a":2})"))), TokenError::malformed);
  EXPECT_EQ(error_of(forge(R"({"alg":"none","alg":"HS256"})", payload_with())),
            TokenError::malformed);
  EXPECT_EQ(error_of(forge(R"({"alg":"HS256","alg":"HS256"})", payload_with())),
            TokenError::malformed);
  // The same key in two different objects is fine.
  EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"x":{"a":1},"y":{"a":2})"))),
            TokenError::none);
}

TEST(JwtCodec, RefusesPayloadsThatAreNotObjects) {
  for (const char* payload :
       {"[]", "\"x\"", "1", "null", "{", "{\"sub\":\"u\"} x", "", "{\"sub\":\"\xff\"}"}) {
    EXPECT_EQ(error_of(forge(kHeader, payload)), TokenError::malformed) << payload;
  }
}

TEST(JwtCodec, RefusesHeadersThatAreNotObjects) {
  for (const char* header :
       {"[]", "\"HS256\"", "{\"alg\":\"HS256\",}", "{'alg':'HS256'}", "{\"alg\":\"HS256\"} // x"}) {
    EXPECT_EQ(error_of(forge(header, payload_with())), TokenError::malformed) << header;
  }
}

TEST(JwtCodec, RefusesGarbage) {
  const std::string good = forge(kHeader, payload_with());
  for (const std::string& token :
       {std::string(), std::string("."), std::string(".."), std::string("..."), std::string("abc"),
        std::string("a.b"), std::string("a.b.c"), std::string("a.b.c.d"), good + ".", "." + good,
        good + "=", " " + good, good + " ", good + "\n", "Bearer " + good,
        good.substr(0, good.find('.')) + ".." + good.substr(good.rfind('.') + 1),
        good.substr(0, good.rfind('.') + 1)}) {
    EXPECT_EQ(error_of(token), TokenError::malformed) << token;
    EXPECT_FALSE(verify_hs256_signature(token, kSecret)) << token;
  }
}

TEST(JwtCodec, RefusesPaddedOrNonCanonicalParts) {
  const std::string header = base64url_encode(kHeader);
  const std::string payload = base64url_encode(payload_with());
  const std::string padded = header + "=." + payload;
  EXPECT_EQ(error_of(padded + "." + base64url_encode(hs256(kSecret, padded))),
            TokenError::malformed);
  const std::string standard_alphabet = header + "." + payload;
  std::string sig = base64url_encode(hs256(kSecret, standard_alphabet));
  for (char& c : sig) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  if (sig.find_first_of("+/") != std::string::npos) {
    EXPECT_EQ(error_of(standard_alphabet + "." + sig), TokenError::malformed);
  }
}

TEST(JwtCodec, RefusesOverlongTokens) {
  const auto token_with_filler = [](std::size_t n) {
    return forge(kHeader, payload_with(R"(,"pad":")" + std::string(n, 'x') + "\""));
  };
  // Find the largest filler that still fits in 4096 bytes.
  std::size_t fits = 0;
  while (token_with_filler(fits + 1).size() <= 4096) ++fits;
  EXPECT_EQ(error_of(token_with_filler(fits)), TokenError::none);
  EXPECT_EQ(error_of(token_with_filler(fits + 1)), TokenError::malformed);
  EXPECT_EQ(error_of(std::string(1'000'000, 'a')), TokenError::malformed);
}

TEST(JwtCodec, NeverThrowsOnRandomInput) {
  const std::string good = forge(kHeader, payload_with());
  std::mt19937 rng(42);
  const JwtCodec codec{std::string(kSecret)};
  for (int i = 0; i < 5000; ++i) {
    // Up to four changed bytes, at distinct places, so no edit can undo another.
    std::string token = good;
    const std::size_t edits = 1 + rng() % 4;
    const std::size_t start = rng() % (token.size() - edits);
    for (std::size_t at = start; at < start + edits; ++at) {
      token[at] = static_cast<char>(good[at] ^ (1 + rng() % 255));
    }
    EXPECT_NO_THROW({
      const auto verified = codec.verify(token, kNow);
      EXPECT_NE(verified.error, TokenError::none) << good << "\n" << token;
    });
  }
}

TEST(JwtCodec, RefusesAnEmptySecretOrNegativeLeeway) {
  EXPECT_THROW(JwtCodec(""), std::invalid_argument);
  EXPECT_THROW(JwtCodec("secret", -1), std::invalid_argument);
}

JwtCodec issuing_codec() {
  return JwtCodec(std::string(kSecret), JwtOptions{10, "https://auth.example.com", "api"});
}

TEST(JwtCodec, WritesAndRequiresIssuerAndAudience) {
  const JwtCodec codec = issuing_codec();
  const std::string token = codec.sign(sample_claims());
  const auto payload =
      base64url_decode(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->find(R"("iss":"https://auth.example.com")"), std::string::npos) << *payload;
  EXPECT_NE(payload->find(R"("aud":"api")"), std::string::npos) << *payload;
  EXPECT_EQ(codec.verify(token, kNow).error, TokenError::none);
  // A token without them (say from before the setting) is refused once they are set.
  const std::string plain = JwtCodec(std::string(kSecret)).sign(sample_claims());
  EXPECT_EQ(codec.verify(plain, kNow).error, TokenError::invalid_claims);
}

TEST(JwtCodec, RefusesAnotherIssuerOrAudience) {
  const JwtCodec codec = issuing_codec();
  const auto with = [](std::string_view extra) { return forge(kHeader, payload_with(extra)); };
  EXPECT_EQ(codec.verify(with(R"(,"iss":"https://auth.example.com","aud":"api")"), kNow).error,
            TokenError::none);
  EXPECT_EQ(
      codec.verify(with(R"(,"iss":"https://auth.example.com","aud":["x","api"])"), kNow).error,
      TokenError::none);
  for (const auto* extra : {R"(,"iss":"https://evil.example.com","aud":"api")",
                            R"(,"iss":"https://auth.example.com","aud":"other")",
                            R"(,"iss":"https://auth.example.com","aud":["x"])",
                            R"(,"iss":"https://auth.example.com","aud":[])",
                            R"(,"iss":"https://auth.example.com","aud":1)",
                            R"(,"iss":["https://auth.example.com"],"aud":"api")", R"(,"aud":"api")",
                            R"(,"iss":"https://auth.example.com")"}) {
    EXPECT_EQ(codec.verify(with(extra), kNow).error, TokenError::invalid_claims) << extra;
  }
}

TEST(JwtCodec, UnconfiguredIssuerAndAudienceAreNotLookedAt) {
  EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"iss":"anyone","aud":"any")"))),
            TokenError::none);
}

TEST(JwtCodec, RefusesTokensIssuedInTheFutureBeyondTheLeeway) {
  const JwtCodec codec(std::string(kSecret), 10);
  const std::string token = codec.sign(sample_claims());  // iat = kNow
  EXPECT_EQ(codec.verify(token, kNow - 10).error, TokenError::none);
  EXPECT_EQ(codec.verify(token, kNow - 11).error, TokenError::invalid_claims);
  const std::string far = forge(kHeader, R"({"sub":"u1","type":"access","sid":"s1","jti":"j1",)"
                                         R"("iat":9223372036854775807,"exp":9223372036854775807})");
  EXPECT_EQ(codec.verify(far, kNow).error, TokenError::invalid_claims);
}

TEST(JwtCodec, RefusesTokensNotYetValidBeyondTheLeeway) {
  const JwtCodec codec(std::string(kSecret), 10);
  const auto with_nbf = [](std::string_view nbf) {
    return forge(kHeader, payload_with(R"(,"nbf":)" + std::string(nbf)));
  };
  EXPECT_EQ(codec.verify(with_nbf("1700000000"), kNow).error, TokenError::none);
  EXPECT_EQ(codec.verify(with_nbf("1700000010"), kNow).error, TokenError::none);
  EXPECT_EQ(codec.verify(with_nbf("1700000011"), kNow).error, TokenError::invalid_claims);
  EXPECT_EQ(codec.verify(with_nbf("1700000011"), kNow + 1).error, TokenError::none);
  EXPECT_EQ(codec.verify(with_nbf("9223372036854775807"), kNow).error, TokenError::invalid_claims);
  EXPECT_EQ(codec.verify(with_nbf("-9223372036854775808"), kNow).error, TokenError::none);
}

TEST(JwtCodec, RefusesAMalformedNotBefore) {
  for (const char* nbf :
       {R"("1700000000")", "1700000000.5", "1.7e9", "null", "true", "[1]", "9223372036854775808"}) {
    EXPECT_EQ(error_of(forge(kHeader, payload_with(R"(,"nbf":)" + std::string(nbf)))),
              TokenError::invalid_claims)
        << nbf;
  }
}

TEST(JwtCodec, KeepsNotBeforeForTheChecksAtEachUse) {
  const JwtCodec codec(std::string(kSecret), 10);
  TokenClaims claims = sample_claims();
  claims.nbf = kNow + 60;
  const auto verified = codec.verify(codec.sign(claims), kNow + 60);
  ASSERT_TRUE(verified.claims);
  EXPECT_EQ(verified.claims->nbf, kNow + 60);
  EXPECT_EQ(codec.check_times(*verified.claims, kNow + 50), TokenError::none);
  EXPECT_EQ(codec.check_times(*verified.claims, kNow + 49), TokenError::invalid_claims);
  EXPECT_FALSE(codec.verify(codec.sign(sample_claims()), kNow).claims.value().nbf);
}

TEST(JwtCodec, RefusesAnyKeyId) {
  // We issue no kid, so every kid names a key we do not have.
  for (const auto* header : {R"({"alg":"HS256","typ":"JWT","kid":"1"})",
                             R"({"alg":"HS256","kid":""})", R"({"kid":null,"alg":"HS256"})"}) {
    EXPECT_NE(error_of(forge(header, payload_with())), TokenError::none) << header;
  }
}

TEST(HashTokenId, IsHexSha256) {
  EXPECT_EQ(hash_token_id("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_token_id("").size(), 64u);
  EXPECT_NE(hash_token_id("jti-1"), hash_token_id("jti-2"));
}

}  // namespace
}  // namespace gh::crypto
