// JWT decoding: arbitrary bytes as a token, and arbitrary header and payload text signed
// with the right key (so the fuzzer gets past the MAC into the claim checks), by HS256 and
// by an Ed25519 signing key named by kid "k" (so hostile headers reach the keyed checks).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base64url.hpp"
#include "services/crypto/jwt.hpp"

namespace {

constexpr std::string_view kKey = "fuzzing-key-fuzzing-key-fuzzing-key-0123";
constexpr std::int64_t kNow = 1'700'000'000;

const gh::crypto::JwtCodec& codec() {
  static const gh::crypto::JwtCodec c(std::string(kKey),
                                      gh::crypto::JwtOptions{10, "https://issuer", "api"});
  return c;
}

const gh::crypto::PrivateKey& signing_key() {
  static const auto key =
      *gh::crypto::PrivateKey::from_bytes(gh::crypto::KeyAlgorithm::eddsa, std::string(32, '\x01'));
  return key;
}

const gh::crypto::KeyLookup& keys() {
  static const gh::crypto::PublicKey pub = signing_key().public_key();
  static const gh::crypto::KeyLookup lookup = [](std::string_view kid) {
    return kid == "k" ? &pub : nullptr;
  };
  return lookup;
}

void check_keyed(const std::string& signing_input) {
  const std::string token =
      signing_input + "." + gh::base64url_encode(signing_key().sign(signing_input));
  const auto verified = codec().verify_with(token, kNow, keys());
  if (verified.claims) {
    const auto again = codec().verify_with(codec().sign_with(*verified.claims, signing_key(), "k"),
                                           verified.claims->iat, keys());
    if (!again.claims || again.claims->sub != verified.claims->sub) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // As a token, as sent.
  static_cast<void>(codec().verify(input, kNow));
  static_cast<void>(codec().verify_with(input, kNow, keys()));
  static_cast<void>(gh::crypto::verify_hs256_signature(input, kKey));
  static_cast<void>(gh::base64url_decode(input));
  // As "header\npayload" texts, encoded and signed: the claim checks see hostile JSON.
  const auto cut = input.find('\n');
  if (cut != std::string_view::npos) {
    const std::string signing_input = gh::base64url_encode(input.substr(0, cut)) + "." +
                                      gh::base64url_encode(input.substr(cut + 1));
    const std::string token =
        signing_input + "." + gh::base64url_encode(gh::crypto::hs256(kKey, signing_input));
    const auto verified = codec().verify(token, kNow);
    // A token we sign ourselves must verify to the claims we put in.
    if (verified.claims) {
      const auto again = codec().verify(codec().sign(*verified.claims), verified.claims->iat);
      if (!again.claims || again.claims->sub != verified.claims->sub) __builtin_trap();
    }
    check_keyed(signing_input);
  }
  return 0;
}
