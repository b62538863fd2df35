#pragma once
// Text from a header, made storable: valid UTF-8 of a bounded number of characters.
#include <cstddef>
#include <string>
#include <string_view>

namespace gh {

// At most `max_chars` characters (code points) of `text`, cut between two characters. A
// byte that does not begin a well-formed UTF-8 sequence, and NUL (which no PostgreSQL text
// takes), become U+FFFD, so any bytes a client sends can be stored and shown as JSON.
std::string utf8_prefix(std::string_view text, std::size_t max_chars);

}  // namespace gh
