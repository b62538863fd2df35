#pragma once
// Asymmetric JWS signatures for access tokens: Ed25519 ("EdDSA", RFC 8037) through libsodium
// and P-256 ("ES256", RFC 7518 3.4) through OpenSSL 3's EVP API. Keys as JWKs and their
// RFC 7638 thumbprints. Knows nothing of tokens, storage or HTTP.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gh::crypto {

enum class KeyAlgorithm { eddsa, es256 };

std::string_view algorithm_name(KeyAlgorithm alg);  // "EdDSA", "ES256" (the JWS `alg`)
std::optional<KeyAlgorithm> parse_algorithm(std::string_view name);  // exact, case-sensitive

// A public key, parsed once so that verifying costs no parse. Copies share the parsed key;
// safe to use from many threads at once.
class PublicKey {
 public:
  // From the raw public bytes: Ed25519 32 bytes; P-256 the 65-byte uncompressed point
  // (0x04 || x || y), refused when not on the curve. nullopt for anything wrong.
  static std::optional<PublicKey> from_bytes(KeyAlgorithm alg, std::string_view bytes);

  KeyAlgorithm algorithm() const;
  const std::string& bytes() const;
  // JWS signature check: Ed25519 a 64-byte signature; ES256 the raw 64-byte r || s (never
  // DER). Never throws; false for any malformed input.
  bool verify(std::string_view signing_input, std::string_view signature) const;
  // RFC 7638 canonical JSON of the required members, e.g.
  // {"crv":"Ed25519","kty":"OKP","x":"..."} or {"crv":"P-256","kty":"EC","x":"...","y":"..."}
  std::string canonical_jwk() const;
  // base64url(SHA-256(canonical_jwk())), no padding: the key's `kid`.
  std::string thumbprint() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// A private key. Copies share the parsed key; sign() is safe from many threads at once.
class PrivateKey {
 public:
  static PrivateKey generate(KeyAlgorithm alg);  // from the CSPRNG
  // From private_bytes(): Ed25519 the 32-byte seed; P-256 the 32-byte scalar d. nullopt when
  // wrong (size, zero or out-of-range scalar).
  static std::optional<PrivateKey> from_bytes(KeyAlgorithm alg, std::string_view bytes);

  KeyAlgorithm algorithm() const;
  // The secret bytes (for sealing at rest only; the caller wipes its copy).
  std::string private_bytes() const;
  PublicKey public_key() const;
  // The JWS signature of signing_input: 64 bytes for both algorithms (ES256: r || s).
  std::string sign(std::string_view signing_input) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// ECDSA signature encodings (RFC 7518 3.4): OpenSSL speaks DER, JWS the fixed 64-byte r || s.
// Both refuse anything malformed (non-minimal DER, trailing bytes, a value over 32 bytes).
std::optional<std::string> ecdsa_der_to_raw(std::string_view der);
std::optional<std::string> ecdsa_raw_to_der(std::string_view raw);

}  // namespace gh::crypto
