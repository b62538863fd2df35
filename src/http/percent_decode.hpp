#pragma once
#include <string>
#include <string_view>

namespace gh::http {

// Form-style decoding (the query string, application/x-www-form-urlencoded): %XX, and '+'
// for a space. A malformed escape is kept literally, as browsers and Python's parse_qs do.
std::string percent_decode(std::string_view in);

}  // namespace gh::http
