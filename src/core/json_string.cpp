#include "core/json_string.hpp"

#include "core/put_bytes.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gh {
namespace {

#if defined(__SSE2__)
// A bit for each of the 16 bytes at `p` that needs an escape.
int escape_mask(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);  // <= 0x1f
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash)));
}
#else
bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}
#endif

// The first byte at or after `i` that needs an escape, or text.size(). Sixteen bytes at a
// time where SSE2 is there (every x86-64): log lines and user fields rarely have any. The
// last few bytes are looked at in one go too, through a window that overlaps bytes already
// seen (or, for a text shorter than 16, a copy padded with a byte that needs no escape):
// ids, emails and roles all end in such a tail, and a byte loop over it cost half the walk.
std::size_t next_escape(std::string_view text, std::size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= text.size(); i += 16) {
    if (const int mask = escape_mask(text.data() + i)) return i + __builtin_ctz(mask);
  }
  if (i == text.size()) return i;
  const std::size_t tail = text.size() - i;  // 1 to 15 bytes
  if (text.size() >= 16) {
    const std::size_t window = text.size() - 16;
    const int mask = escape_mask(text.data() + window) >> (16 - tail);
    return mask ? i + __builtin_ctz(mask) : text.size();
  }
  char padded[16];
  std::memset(padded, 'a', sizeof padded);
  std::memcpy(padded, text.data() + i, tail);
  const int mask = escape_mask(padded) & ((1 << tail) - 1);
  return mask ? i + __builtin_ctz(mask) : text.size();
#else
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
#endif
}

constexpr char kHex[] = "0123456789abcdef";

char* put_escape(char* at, unsigned char c) {
  *at++ = '\\';
  switch (c) {
    case '"':
    case '\\':
      *at++ = static_cast<char>(c);
      return at;
    case '\b':
      *at++ = 'b';
      return at;
    case '\f':
      *at++ = 'f';
      return at;
    case '\n':
      *at++ = 'n';
      return at;
    case '\r':
      *at++ = 'r';
      return at;
    case '\t':
      *at++ = 't';
      return at;
    default:
      *at++ = 'u';
      *at++ = '0';
      *at++ = '0';
      *at++ = kHex[c >> 4];
      *at++ = kHex[c & 0xf];
      return at;
  }
}

}  // namespace

char* put_json_string(char* at, std::string_view text) {
  *at++ = '"';
  std::size_t run = 0;
  for (std::size_t i = next_escape(text, 0); i < text.size(); i = next_escape(text, run)) {
    at = put_bytes(at, {text.data() + run, i - run});
    at = put_escape(at, static_cast<unsigned char>(text[i]));
    run = i + 1;
  }
  at = put_bytes(at, {text.data() + run, text.size() - run});
  *at++ = '"';
  return at;
}

// The same walk as put_json_string, appending instead: sizing `out` for the worst case
// first (zeroed by resize) cost UserOut lists 1% more instructions.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t run = 0;  // start of the bytes that need no escape, copied in one go
  for (std::size_t i = next_escape(text, 0); i < text.size(); i = next_escape(text, run)) {
    out.append(text.data() + run, i - run);
    char escaped[6];
    out.append(escaped, put_escape(escaped, static_cast<unsigned char>(text[i])));
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

}  // namespace gh
