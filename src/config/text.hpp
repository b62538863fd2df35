#pragma once
// String helpers shared by the config parsers.
#include <string>
#include <string_view>

namespace gh::config::detail {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);

// The value as it may appear inside an error message: quoted and cut short, so a pasted
// blob does not flood the terminal. Never use it for secrets or URLs with credentials.
std::string quoted(std::string_view text);

}  // namespace gh::config::detail
