#pragma once
// JSON string literals written straight into a buffer, for the hot paths that skip
// Boost.JSON (log lines, UserOut): one copy per run of bytes that need no escape.
#include <string>
#include <string_view>

namespace gh {

// Appends `text` as a quoted JSON string; control characters, quote and backslash escaped.
void append_json_string(std::string& out, std::string_view text);

}  // namespace gh
