#pragma once
// JSON string literals written straight into a buffer, for the hot paths that skip
// Boost.JSON (log lines, UserOut): one copy per run of bytes that need no escape.
#include <cstddef>
#include <string>
#include <string_view>

namespace gh {

// Appends `text` as a quoted JSON string; control characters, quote and backslash escaped.
void append_json_string(std::string& out, std::string_view text);

// The most bytes `text` can take as a JSON string: every byte as \u00XX, and the quotes.
constexpr std::size_t json_string_bound(std::size_t size) {
  return 6 * size + 2;
}
// Writes `text` as append_json_string does at `at`, which has room for
// json_string_bound(text.size()) bytes; returns the end of what it wrote.
char* put_json_string(char* at, std::string_view text);

}  // namespace gh
