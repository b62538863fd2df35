#include "core/json_string.hpp"

#include "core/put_bytes.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gh {
namespace {

bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

// The first byte at or after `i` that needs an escape, or text.size(). Sixteen bytes at a
// time where SSE2 is there (every x86-64): log lines and user fields rarely have any.
std::size_t next_escape(std::string_view text, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1f);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, control_max), v);  // v <= 0x1f
    const __m128i special =
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int mask = _mm_movemask_epi8(special)) return i + __builtin_ctz(mask);
  }
#endif
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
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
