#include "core/base64url.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace gh {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// The value of each URL-safe character, -1 for every other byte.
constexpr std::array<signed char, 256> make_sextets() {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  return t;
}
constexpr auto kSextets = make_sextets();

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
  // A table decoder rather than libsodium's constant-time one (which cost a JWT check
  // more than the HMAC itself): the text is what the client sent, nothing secret, and the
  // signature check that follows is constant-time on its own. Same strictness as before.
  if (text.size() % 4 == 1) return std::nullopt;  // a dangling character
  std::string out(text.size() / 4 * 3 + (text.size() % 4 ? text.size() % 4 - 1 : 0), '\0');
  char* o = out.data();
  std::size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    const int a = kSextets[static_cast<unsigned char>(text[i])];
    const int b = kSextets[static_cast<unsigned char>(text[i + 1])];
    const int c = kSextets[static_cast<unsigned char>(text[i + 2])];
    const int d = kSextets[static_cast<unsigned char>(text[i + 3])];
    if ((a | b | c | d) < 0) return std::nullopt;
    const auto n = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d);
    *o++ = static_cast<char>(n >> 16);
    *o++ = static_cast<char>(n >> 8 & 0xff);
    *o++ = static_cast<char>(n & 0xff);
  }
  std::uint32_t bits = 0;
  int count = 0;
  for (; i < text.size(); ++i) {
    const int v = kSextets[static_cast<unsigned char>(text[i])];
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      *o++ = static_cast<char>((bits >> count) & 0xff);
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;  // non-zero trailing bits
  return out;
}

}  // namespace gh
