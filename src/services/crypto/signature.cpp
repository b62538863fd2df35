#include "services/crypto/signature.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/base64url.hpp"
#include "core/crypto_init.hpp"

namespace gh::crypto {
namespace {

constexpr std::size_t kSignatureSize = 64;  // both: Ed25519, and ES256's r || s
constexpr std::size_t kScalarSize = 32;     // a P-256 coordinate or scalar
constexpr std::size_t kPointSize = 1 + 2 * kScalarSize;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using Sig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBuild = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Group p256() {
  return Group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
}

// An EC key from OpenSSL parameters: the public point, and the private scalar when given.
Pkey ec_key_from(std::string_view point, const BIGNUM* d) {
  ParamBuild build(OSSL_PARAM_BLD_new());
  if (!build ||
      !OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()) ||
      (d && !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PRIV_KEY, d)))
    return nullptr;
  Params params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1)
    return nullptr;
  Pkey key(raw);
  PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

// d * G, uncompressed; empty when d is not a valid scalar (0, or not below the order).
std::string public_point_of(const BIGNUM* d) {
  const Group group = p256();
  if (!group || BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group.get())) >= 0) return {};
  Point point(EC_POINT_new(group.get()));
  std::string out(kPointSize, '\0');
  if (!point || EC_POINT_mul(group.get(), point.get(), d, nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                         reinterpret_cast<unsigned char*>(out.data()), out.size(),
                         nullptr) != kPointSize)
    return {};
  return out;
}

std::string fixed_bytes(const BIGNUM* n) {
  std::string out(kScalarSize, '\0');
  if (BN_num_bytes(n) > static_cast<int>(kScalarSize) ||
      BN_bn2binpad(n, reinterpret_cast<unsigned char*>(out.data()), kScalarSize) < 0)
    return {};
  return out;
}

}  // namespace

std::string_view algorithm_name(KeyAlgorithm alg) {
  return alg == KeyAlgorithm::eddsa ? "EdDSA" : "ES256";
}

std::optional<KeyAlgorithm> parse_algorithm(std::string_view name) {
  if (name == "EdDSA") return KeyAlgorithm::eddsa;
  if (name == "ES256") return KeyAlgorithm::es256;
  return std::nullopt;
}

// ------------------------------------------------------------------ ECDSA signature forms

namespace {

// P-256's group order n, and n / 2 rounded down, big-endian. (r, s) and (r, n - s) are both
// valid ECDSA signatures of one input: only the low one, s <= n / 2, is accepted and made,
// so a token has one signature and a second spelling of it cannot be minted from the first.
constexpr std::array<unsigned char, kScalarSize> kOrder{
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
constexpr std::array<unsigned char, kScalarSize> kHalfOrder{
    0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8};

bool low_s(std::string_view raw) {
  const auto s = bytes_of(raw) + kScalarSize;
  return std::lexicographical_compare(s, s + kScalarSize, kHalfOrder.begin(), kHalfOrder.end()) ||
         std::equal(s, s + kScalarSize, kHalfOrder.begin());
}

// (r, n - s) for a high s: big-endian subtraction, byte by byte with a borrow.
void lower_s(std::string& raw) {
  auto* s = reinterpret_cast<unsigned char*>(raw.data()) + kScalarSize;
  int borrow = 0;
  for (std::size_t i = kScalarSize; i-- > 0;) {
    const int d = kOrder[i] - s[i] - borrow;
    borrow = d < 0 ? 1 : 0;
    s[i] = static_cast<unsigned char>(d + (borrow ? 256 : 0));
  }
}

}  // namespace

std::optional<std::string> ecdsa_der_to_raw(std::string_view der) {
  if (der.empty() || der.size() > 2 * (kScalarSize + 3) + 2) return std::nullopt;
  const unsigned char* p = bytes_of(der);
  Sig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != bytes_of(der) + der.size()) return std::nullopt;
  // Only the one DER encoding of (r, s) is accepted: what OpenSSL writes back must be it.
  unsigned char* again = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &again);
  const bool canonical =
      len == static_cast<int>(der.size()) && CRYPTO_memcmp(again, der.data(), der.size()) == 0;
  OPENSSL_free(again);
  if (!canonical) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  if (BN_is_negative(r) || BN_is_negative(s)) return std::nullopt;
  std::string out = fixed_bytes(r);
  const std::string s_bytes = fixed_bytes(s);
  if (out.empty() || s_bytes.empty()) return std::nullopt;
  return out + s_bytes;
}

std::optional<std::string> ecdsa_raw_to_der(std::string_view raw) {
  if (raw.size() != kSignatureSize) return std::nullopt;
  BIGNUM* r = BN_bin2bn(bytes_of(raw), kScalarSize, nullptr);
  BIGNUM* s = BN_bin2bn(bytes_of(raw) + kScalarSize, kScalarSize, nullptr);
  Sig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// ------------------------------------------------------------------ public keys

struct PublicKey::Impl {
  KeyAlgorithm alg;
  std::string bytes;
  Pkey ec;  // ES256 only
};

std::optional<PublicKey> PublicKey::from_bytes(KeyAlgorithm alg, std::string_view bytes) {
  crypto_init();
  auto impl = std::make_shared<Impl>(Impl{alg, std::string(bytes), nullptr});
  if (alg == KeyAlgorithm::eddsa) {
    if (bytes.size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
  } else {
    if (bytes.size() != kPointSize || bytes[0] != '\x04') return std::nullopt;
    impl->ec = ec_key_from(bytes, nullptr);
    if (!impl->ec) return std::nullopt;
  }
  PublicKey key;
  key.impl_ = std::move(impl);
  return key;
}

KeyAlgorithm PublicKey::algorithm() const {
  return impl_->alg;
}

const std::string& PublicKey::bytes() const {
  return impl_->bytes;
}

bool PublicKey::verify(std::string_view input, std::string_view signature) const {
  if (signature.size() != kSignatureSize) return false;
  if (impl_->alg == KeyAlgorithm::eddsa)
    return crypto_sign_verify_detached(bytes_of(signature), bytes_of(input), input.size(),
                                       bytes_of(impl_->bytes)) == 0;
  if (!low_s(signature)) return false;
  const auto der = ecdsa_raw_to_der(signature);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!der || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->ec.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), bytes_of(*der), der->size(), bytes_of(input), input.size()) ==
         1;
}

std::string PublicKey::canonical_jwk() const {
  const std::string_view b = impl_->bytes;
  if (impl_->alg == KeyAlgorithm::eddsa)
    return R"({"crv":"Ed25519","kty":"OKP","x":")" + base64url_encode(b) + "\"}";
  return R"({"crv":"P-256","kty":"EC","x":")" + base64url_encode(b.substr(1, kScalarSize)) +
         R"(","y":")" + base64url_encode(b.substr(1 + kScalarSize)) + "\"}";
}

std::string PublicKey::thumbprint() const {
  const std::string jwk = canonical_jwk();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), bytes_of(jwk), jwk.size());
  return base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// ------------------------------------------------------------------ private keys

struct PrivateKey::Impl {
  KeyAlgorithm alg;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> ed{};  // seed || public key
  std::string secret;                                          // the seed, or d
  Pkey ec;
  PublicKey pub;
  ~Impl() {
    sodium_memzero(ed.data(), ed.size());
    sodium_memzero(secret.data(), secret.size());
  }
};

PrivateKey PrivateKey::generate(KeyAlgorithm alg) {
  crypto_init();
  std::string secret(kScalarSize, '\0');
  for (;;) {
    randombytes_buf(secret.data(), secret.size());
    // A P-256 scalar must be in [1, n); a random 32 bytes is outside with odds of 2^-32.
    if (auto key = from_bytes(alg, secret)) {
      sodium_memzero(secret.data(), secret.size());
      return *key;
    }
  }
}

std::optional<PrivateKey> PrivateKey::from_bytes(KeyAlgorithm alg, std::string_view bytes) {
  crypto_init();
  if (bytes.size() != kScalarSize) return std::nullopt;
  auto impl = std::make_shared<Impl>();
  impl->alg = alg;
  impl->secret.assign(bytes);
  std::string point;
  if (alg == KeyAlgorithm::eddsa) {
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    crypto_sign_seed_keypair(pk.data(), impl->ed.data(), bytes_of(bytes));
    point.assign(reinterpret_cast<const char*>(pk.data()), pk.size());
  } else {
    Bignum d(BN_bin2bn(bytes_of(bytes), kScalarSize, nullptr));
    if (!d) return std::nullopt;
    point = public_point_of(d.get());
    if (point.empty()) return std::nullopt;
    impl->ec = ec_key_from(point, d.get());
    if (!impl->ec) return std::nullopt;
  }
  auto pub = PublicKey::from_bytes(alg, point);
  if (!pub) return std::nullopt;
  impl->pub = std::move(*pub);
  PrivateKey key;
  key.impl_ = std::move(impl);
  return key;
}

KeyAlgorithm PrivateKey::algorithm() const {
  return impl_->alg;
}

std::string PrivateKey::private_bytes() const {
  return impl_->secret;
}

PublicKey PrivateKey::public_key() const {
  return impl_->pub;
}

std::string PrivateKey::sign(std::string_view input) const {
  std::string out(kSignatureSize, '\0');
  if (impl_->alg == KeyAlgorithm::eddsa) {
    crypto_sign_detached(reinterpret_cast<unsigned char*>(out.data()), nullptr, bytes_of(input),
                         input.size(), impl_->ed.data());
    return out;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->ec.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, bytes_of(input), input.size()) != 1)
    throw std::runtime_error("ES256 signing failed");
  std::string der(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len, bytes_of(input),
                     input.size()) != 1)
    throw std::runtime_error("ES256 signing failed");
  der.resize(len);
  auto raw = ecdsa_der_to_raw(der);
  if (!raw) throw std::runtime_error("ES256 signature not in DER");
  if (!low_s(*raw)) lower_s(*raw);
  return *raw;
}

}  // namespace gh::crypto
