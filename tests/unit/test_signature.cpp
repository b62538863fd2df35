// Ed25519 and ES256 against the RFCs' own examples (RFC 8037 Appendix A, RFC 7515
// Appendix A.3), and the ECDSA signature conversion between DER and JWS's r || s.
#include "services/crypto/signature.hpp"

#include <gtest/gtest.h>

#include "core/base64url.hpp"
#include "core/crypto_init.hpp"

namespace {

using namespace gh::crypto;
using gh::base64url_decode;
using gh::base64url_encode;

// libsodium before any key is made (main does it in the server).
const bool kCryptoReady = (gh::crypto_init(), true);

std::string bytes(std::string_view b64url) {
  auto out = base64url_decode(b64url);
  EXPECT_TRUE(out) << b64url;
  return out.value_or("");
}

// RFC 8037 A.1 (the key), A.2 (its thumbprint), A.4 (a JWS it signed).
constexpr std::string_view kEdD = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view kEdX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view kEdThumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
constexpr std::string_view kEdInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view kEdSignature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

// RFC 7515 A.3 (the key of A.3.1 and the JWS of A.3.1's example).
constexpr std::string_view kEcX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view kEcY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view kEcD = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
constexpr std::string_view kEcInput =
    "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxl"
    "LmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr std::string_view kEcSignature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

std::string ec_point() {
  return std::string(1, '\x04') + bytes(kEcX) + bytes(kEcY);
}

TEST(Ed25519, TheRfc8037KeySignsTheRfcsSignatureAndHasItsThumbprint) {
  const auto key = PrivateKey::from_bytes(KeyAlgorithm::eddsa, bytes(kEdD));
  ASSERT_TRUE(key);
  EXPECT_EQ(base64url_encode(key->public_key().bytes()), kEdX);
  // Ed25519 is deterministic: the same input gives the RFC's very bytes.
  EXPECT_EQ(base64url_encode(key->sign(kEdInput)), kEdSignature);
  EXPECT_EQ(key->public_key().canonical_jwk(),
            std::string(R"({"crv":"Ed25519","kty":"OKP","x":")") + std::string(kEdX) + "\"}");
  EXPECT_EQ(key->public_key().thumbprint(), kEdThumbprint);
}

TEST(Ed25519, TheRfcSignatureVerifiesAndAnyChangeFails) {
  const auto pub = PublicKey::from_bytes(KeyAlgorithm::eddsa, bytes(kEdX));
  ASSERT_TRUE(pub);
  const std::string sig = bytes(kEdSignature);
  EXPECT_TRUE(pub->verify(kEdInput, sig));
  for (std::size_t i = 0; i < sig.size(); ++i) {
    std::string bad = sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(pub->verify(kEdInput, bad)) << i;
  }
  std::string input(kEdInput);
  input.back() ^= 0x01;
  EXPECT_FALSE(pub->verify(input, sig));
  EXPECT_FALSE(pub->verify(kEdInput, sig.substr(0, 63)));
  EXPECT_FALSE(pub->verify(kEdInput, sig + "x"));
}

// RFC 7515 A.3's signature has a high s: (r, s) and (r, n - s) both verify under plain ECDSA,
// and gatehouse takes only the low one, so a token has one signature. The RFC's verifies
// once lowered, and not as printed.
constexpr std::string_view kEcSignatureLowS =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmU69fgrc8OPGycO0lD3tat_FoFp57SETepkeks4eL_QfA";

TEST(Es256, TheRfc7515SignatureVerifiesWithItsLowS) {
  const auto pub = PublicKey::from_bytes(KeyAlgorithm::es256, ec_point());
  ASSERT_TRUE(pub);
  const std::string sig = bytes(kEcSignatureLowS);
  ASSERT_EQ(sig.substr(0, 32), bytes(kEcSignature).substr(0, 32)) << "the same r";
  EXPECT_TRUE(pub->verify(kEcInput, sig));
  EXPECT_FALSE(pub->verify(kEcInput, bytes(kEcSignature))) << "the high-s twin";
  for (std::size_t i = 0; i < sig.size(); i += 7) {
    std::string bad = sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(pub->verify(kEcInput, bad)) << i;
  }
  // The DER form of the same signature is not a JWS signature.
  const auto der = ecdsa_raw_to_der(sig);
  ASSERT_TRUE(der);
  EXPECT_FALSE(pub->verify(kEcInput, *der));
}

TEST(Es256, EverySignatureMadeHasALowS) {
  const auto key = PrivateKey::from_bytes(KeyAlgorithm::es256, bytes(kEcD));
  ASSERT_TRUE(key);
  // n / 2, big-endian: about half of raw ECDSA signatures have an s above it.
  const std::string half = bytes("f____4AAAAB__________95zfVbTi89CedzlYX4xkqg");
  for (int i = 0; i < 64; ++i) {
    const std::string sig = key->sign(kEcInput);
    EXPECT_LE(sig.substr(32), half) << i;
    EXPECT_TRUE(key->public_key().verify(kEcInput, sig)) << i;
  }
}

TEST(Es256, TheRfcKeysPrivateHalfGivesItsPublicHalfAndSignsWhatItVerifies) {
  const auto key = PrivateKey::from_bytes(KeyAlgorithm::es256, bytes(kEcD));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->public_key().bytes(), ec_point());
  EXPECT_EQ(key->public_key().canonical_jwk(), std::string(R"({"crv":"P-256","kty":"EC","x":")") +
                                                   std::string(kEcX) + R"(","y":")" +
                                                   std::string(kEcY) + "\"}");
  const std::string sig = key->sign(kEcInput);
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(key->public_key().verify(kEcInput, sig));
  // ECDSA draws a fresh nonce: two signatures of one input differ, and both verify.
  const std::string again = key->sign(kEcInput);
  EXPECT_NE(sig, again);
  EXPECT_TRUE(key->public_key().verify(kEcInput, again));
}

TEST(Es256, APointOffTheCurveOrOfTheWrongShapeIsRefused) {
  std::string off = ec_point();
  off.back() ^= 0x01;
  EXPECT_FALSE(PublicKey::from_bytes(KeyAlgorithm::es256, off));
  std::string compressed = ec_point().substr(0, 33);
  compressed[0] = '\x02';
  EXPECT_FALSE(PublicKey::from_bytes(KeyAlgorithm::es256, compressed));
  EXPECT_FALSE(PublicKey::from_bytes(KeyAlgorithm::es256, ec_point().substr(1)));
  EXPECT_FALSE(PublicKey::from_bytes(KeyAlgorithm::es256, std::string(65, '\0')));
  EXPECT_FALSE(PublicKey::from_bytes(KeyAlgorithm::eddsa, bytes(kEdX).substr(1)));
}

TEST(Es256, AScalarOfZeroOrPastTheOrderIsRefused) {
  EXPECT_FALSE(PrivateKey::from_bytes(KeyAlgorithm::es256, std::string(32, '\0')));
  EXPECT_FALSE(PrivateKey::from_bytes(KeyAlgorithm::es256, std::string(32, '\xff')));
  EXPECT_FALSE(PrivateKey::from_bytes(KeyAlgorithm::es256, bytes(kEcD).substr(1)));
  EXPECT_FALSE(PrivateKey::from_bytes(KeyAlgorithm::eddsa, bytes(kEdD) + "x"));
}

TEST(GeneratedKeys, SignAndVerifyAndNameThemselvesByThumbprint) {
  for (auto alg : {KeyAlgorithm::eddsa, KeyAlgorithm::es256}) {
    const auto key = PrivateKey::generate(alg);
    const auto reloaded = PrivateKey::from_bytes(alg, key.private_bytes());
    ASSERT_TRUE(reloaded);
    EXPECT_EQ(reloaded->public_key().bytes(), key.public_key().bytes());
    EXPECT_TRUE(key.public_key().verify("input", reloaded->sign("input")));
    EXPECT_EQ(key.public_key().thumbprint().size(), 43u);
    EXPECT_NE(PrivateKey::generate(alg).public_key().thumbprint(), key.public_key().thumbprint());
  }
}

TEST(AlgorithmNames, AreTheJwsNamesExactly) {
  EXPECT_EQ(algorithm_name(KeyAlgorithm::eddsa), "EdDSA");
  EXPECT_EQ(algorithm_name(KeyAlgorithm::es256), "ES256");
  EXPECT_EQ(parse_algorithm("EdDSA"), KeyAlgorithm::eddsa);
  EXPECT_EQ(parse_algorithm("ES256"), KeyAlgorithm::es256);
  for (const char* other : {"eddsa", "es256", "HS256", "none", "Ed25519", "ES384", ""})
    EXPECT_FALSE(parse_algorithm(other)) << other;
}

// DER: SEQUENCE { INTEGER r, INTEGER s }, minimal, positive.
std::string der(std::string r, std::string s) {
  auto integer = [](std::string v) { return std::string{'\x02', static_cast<char>(v.size())} + v; };
  const std::string body = integer(std::move(r)) + integer(std::move(s));
  return std::string{'\x30', static_cast<char>(body.size())} + body;
}

TEST(EcdsaConversion, RawAndDerRoundTrip) {
  const std::string raw = bytes(kEcSignature);
  const auto as_der = ecdsa_raw_to_der(raw);
  ASSERT_TRUE(as_der);
  EXPECT_EQ(ecdsa_der_to_raw(*as_der), raw);
  // High bit set: DER adds a zero byte so the integer stays positive; small values are short.
  std::string high(64, '\0');
  high[0] = '\x80';
  high[63] = '\x01';
  const auto high_der = ecdsa_raw_to_der(high);
  ASSERT_TRUE(high_der);
  EXPECT_EQ(*high_der, der(std::string(1, '\0') + '\x80' + std::string(31, '\0'), "\x01"));
  EXPECT_EQ(ecdsa_der_to_raw(*high_der), high);
}

TEST(EcdsaConversion, MalformedDerIsRefused) {
  const std::string r(32, '\x11'), s(32, '\x22');
  ASSERT_TRUE(ecdsa_der_to_raw(der(r, s)));
  EXPECT_FALSE(ecdsa_der_to_raw(der(r, s) + "x")) << "trailing bytes";
  EXPECT_FALSE(ecdsa_der_to_raw(der(std::string(1, '\0') + r, s))) << "non-minimal integer";
  EXPECT_FALSE(ecdsa_der_to_raw(der(std::string(1, '\x80') + r.substr(1), s))) << "negative";
  EXPECT_FALSE(ecdsa_der_to_raw(der(std::string(33, '\x11'), s))) << "over 32 bytes";
  EXPECT_FALSE(ecdsa_der_to_raw(der("", s))) << "empty integer";
  EXPECT_FALSE(ecdsa_der_to_raw(der(r, s).substr(0, 20))) << "truncated";
  EXPECT_FALSE(ecdsa_der_to_raw("")) << "empty";
  std::string wrong_tag = der(r, s);
  wrong_tag[0] = '\x31';
  EXPECT_FALSE(ecdsa_der_to_raw(wrong_tag));
  EXPECT_FALSE(ecdsa_raw_to_der(std::string(63, '\x01')));
  EXPECT_FALSE(ecdsa_raw_to_der(std::string(65, '\x01')));
}

}  // namespace
