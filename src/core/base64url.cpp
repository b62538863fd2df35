#include "core/base64url.hpp"

#include <sodium.h>

namespace gh {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

bool in_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  // The encoded length counts a trailing NUL that the string does not keep.
  const std::size_t with_nul = sodium_base64_encoded_len(bytes.size(), kVariant);
  std::string out(with_nul, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(with_nul - 1);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // libsodium 1.0.18 reads a byte >= 0x80 as a (sign-extended) valid character, so a
  // token with such a byte in place of '_' would still verify. Check the alphabet first.
  for (char c : text) {
    if (!in_alphabet(c)) return std::nullopt;
  }
  // libsodium wants a non-null output buffer even when nothing is decoded.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t decoded = 0;
  const char* end = nullptr;
  // libsodium refuses a dangling character and non-zero trailing bits; the end check
  // catches a decoder that stopped early.
  const int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                   text.data(), text.size(), nullptr, &decoded, &end, kVariant);
  if (rc != 0 || end != text.data() + text.size()) return std::nullopt;
  out.resize(decoded);
  return out;
}

}  // namespace gh
