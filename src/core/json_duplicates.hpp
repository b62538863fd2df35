#pragma once
// Boost.JSON 1.81 silently keeps the last of duplicate keys. Two readers of the same text
// (a proxy or WAF and us, or another service and us reading a token) could then disagree
// on what it says, so JWT parts and request bodies with duplicates are refused.
#include <string_view>

namespace gh {

// True when an object anywhere in `text` repeats a key, and for text that is not JSON.
bool has_duplicate_keys(std::string_view text);

}  // namespace gh
