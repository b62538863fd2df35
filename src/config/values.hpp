#pragma once
// Scalar setting parsers. Each throws ConfigError naming the variable and what it expects.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace gh::config::detail {

// Decimal digits only: no sign, no spaces, no "0x", nothing after the number. Every
// setting is non-negative, so `min` must be >= 0.
std::int64_t parse_integer(const std::string& name, std::string_view text, std::int64_t min,
                           std::int64_t max);

// A URL's port text as a number from 1 to 65535; nothing for anything else. Boost.URL's own
// port_number() silently wraps values above 65535.
std::optional<std::uint16_t> parse_port(std::string_view text);

// true/false, 1/0, yes/no, any case.
bool parse_bool(const std::string& name, std::string_view text);

// One of `choices`, compared case-insensitively; returns the lower-cased choice.
std::string parse_choice(const std::string& name, std::string_view text,
                         std::initializer_list<std::string_view> choices);

}  // namespace gh::config::detail
