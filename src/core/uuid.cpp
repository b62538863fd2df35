#include "core/uuid.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "core/crypto_init.hpp"

namespace gh::uuid {

namespace {

constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::size_t kTextSize = 36;

bool is_dash_position(std::size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

std::string to_text(const std::array<unsigned char, 16>& bytes) {
  std::string out;
  out.reserve(kTextSize);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0F]);
  }
  return out;
}

}  // namespace

std::string v7(std::int64_t unix_micros) {
  crypto_init();
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(unix_micros, 0));
  const std::uint64_t millis = micros / 1000;
  // RFC 9562 section 6.2, method 3: the sub-millisecond fraction scaled to 12 bits.
  const auto rand_a = static_cast<std::uint16_t>(micros % 1000 * 4096 / 1000);

  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(millis >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | (rand_a >> 8));
  b[7] = static_cast<unsigned char>(rand_a & 0xFF);
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));
  return to_text(b);
}

std::optional<std::string> parse(std::string_view text) {
  if (text.size() != kTextSize) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (is_dash_position(i)) {
      if (c != '-') return std::nullopt;
    } else if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (kHex.find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace gh::uuid
