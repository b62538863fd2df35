// The ECDSA signature conversion (RFC 7518 3.4: DER from OpenSSL, r || s in a JWS) and ES256
// verification of arbitrary bytes. A DER form is accepted only when it is the one encoding of
// its (r, s), so the conversions must round-trip exactly; nothing may crash or leak.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base64url.hpp"
#include "services/crypto/signature.hpp"

namespace {

using gh::crypto::KeyAlgorithm;
using gh::crypto::PublicKey;

// RFC 7515 A.3's P-256 key.
const PublicKey& rfc_key() {
  static const PublicKey key = *PublicKey::from_bytes(
      KeyAlgorithm::es256,
      "\x04" + *gh::base64url_decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU") +
          *gh::base64url_decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"));
  return key;
}

void round_trips(std::string_view in) {
  if (auto raw = gh::crypto::ecdsa_der_to_raw(in)) {
    if (raw->size() != 64) __builtin_trap();
    const auto der = gh::crypto::ecdsa_raw_to_der(*raw);
    if (!der || *der != in) __builtin_trap();
  }
  if (in.size() == 64) {
    const auto der = gh::crypto::ecdsa_raw_to_der(in);
    if (!der) __builtin_trap();
    const auto raw = gh::crypto::ecdsa_der_to_raw(*der);
    if (!raw || *raw != in) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  round_trips(in);
  // The first 64 bytes as a signature of the rest: a forgery would need the private key.
  if (size >= 64 && rfc_key().verify(in.substr(64), in.substr(0, 64))) {
    if (in.substr(64) !=
        "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
        "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ")
      __builtin_trap();
  }
  // Any 65 bytes as a public point: refused unless on the curve, and then only verifies.
  if (size >= 65) {
    if (auto key = PublicKey::from_bytes(KeyAlgorithm::es256, in.substr(0, 65)))
      (void)key->verify(in.substr(65), std::string(64, '\x01'));
  }
  (void)rfc_key().verify("input", in);
  return 0;
}
