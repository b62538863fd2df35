#include "config/values.hpp"

#include <algorithm>
#include <charconv>

#include "config/settings.hpp"
#include "config/text.hpp"

namespace gh::config::detail {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::int64_t parse_integer(const std::string& name, std::string_view text, std::int64_t min,
                           std::int64_t max) {
  const auto fail = [&]() -> ConfigError {
    return ConfigError(name, "expected an integer from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", got " + quoted(text));
  };
  // from_chars alone would accept a leading '-'; digits-only keeps "-0" and "+1" out.
  if (!all_digits(text)) throw fail();
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) throw fail();
  if (value < static_cast<std::uint64_t>(min) || value > static_cast<std::uint64_t>(max)) {
    throw fail();
  }
  return static_cast<std::int64_t>(value);
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  if (!all_digits(text)) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

bool parse_bool(const std::string& name, std::string_view text) {
  const std::string lower = to_lower(text);
  if (lower == "true" || lower == "1" || lower == "yes") return true;
  if (lower == "false" || lower == "0" || lower == "no") return false;
  throw ConfigError(name, "expected true, false, 1, 0, yes or no, got " + quoted(text));
}

std::string parse_choice(const std::string& name, std::string_view text,
                         std::initializer_list<std::string_view> choices) {
  const std::string lower = to_lower(text);
  std::string expected;
  for (const std::string_view choice : choices) {
    if (lower == choice) return lower;
    expected += expected.empty() ? "" : ", ";
    expected += choice;
  }
  throw ConfigError(name, "expected one of " + expected + ", got " + quoted(text));
}

}  // namespace gh::config::detail
