// `.env` parsing: the subset of python-dotenv that real `.env` files use.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "config/settings.hpp"
#include "config/text.hpp"

namespace gh::config {

namespace {

using detail::trim;

struct LineError {
  std::string message;
};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool valid_key(std::string_view key) {
  const auto head = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  const auto tail = [&](char c) { return head(c) || std::isdigit(static_cast<unsigned char>(c)); };
  if (key.empty() || !head(key.front())) return false;
  for (const char c : key.substr(1)) {
    if (!tail(c)) return false;
  }
  return true;
}

// After a closing quote only spaces and a comment may follow.
void expect_end(std::string_view rest) {
  rest = trim(rest);
  if (!rest.empty() && rest.front() != '#') throw LineError{"unexpected text after the quote"};
}

std::string single_quoted(std::string_view raw) {
  const std::size_t close = raw.find('\'', 1);
  if (close == std::string_view::npos) throw LineError{"unterminated single quote"};
  expect_end(raw.substr(close + 1));
  return std::string(raw.substr(1, close - 1));
}

// Any other escape keeps its backslash, as python-dotenv does.
std::optional<char> unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '"':
    case '\\':
      return c;
    default:
      return std::nullopt;
  }
}

std::string double_quoted(std::string_view raw) {
  std::string value;
  for (std::size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '"') {
      expect_end(raw.substr(i + 1));
      return value;
    }
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      value += raw[i];
    } else if (const auto c = unescape(raw[++i])) {
      value += *c;
    } else {
      value += '\\';
      value += raw[i];
    }
  }
  throw LineError{"unterminated double quote"};
}

// A '#' starts a comment only after whitespace, so `KEY=a#b` keeps its '#'.
std::string unquoted(std::string_view raw) {
  for (std::size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '#' && is_space(raw[i - 1])) {
      raw = raw.substr(0, i);
      break;
    }
  }
  return std::string(trim(raw));
}

std::string parse_value(std::string_view raw) {
  const std::string_view value = trim(raw);
  if (value.empty()) return {};
  if (value.front() == '\'') return single_quoted(value);
  if (value.front() == '"') return double_quoted(value);
  // The untrimmed text, so `KEY= #note` reads as an empty value and a comment.
  return unquoted(raw);
}

std::string_view strip_export(std::string_view line) {
  constexpr std::string_view kExport = "export";
  if (line.size() > kExport.size() && line.substr(0, kExport.size()) == kExport &&
      is_space(line[kExport.size()])) {
    return trim(line.substr(kExport.size()));
  }
  return line;
}

// Returns nothing for blank and comment lines.
std::optional<std::pair<std::string, std::string>> parse_line(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() == '#') return std::nullopt;
  line = strip_export(line);
  const std::size_t equals = line.find('=');
  if (equals == std::string_view::npos) throw LineError{"expected KEY=VALUE"};
  const std::string_view key = trim(line.substr(0, equals));
  if (!valid_key(key)) throw LineError{"invalid variable name"};
  return std::pair{std::string(key), parse_value(line.substr(equals + 1))};
}

}  // namespace

Environment parse_dotenv(const std::string& text) {
  Environment env;
  std::string_view rest = text;
  for (int number = 1; !rest.empty(); ++number) {
    const std::size_t end = std::min(rest.find('\n'), rest.size());
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    try {
      if (auto entry = parse_line(line)) env.insert_or_assign(entry->first, entry->second);
    } catch (const LineError& error) {
      // Values are never quoted back: a `.env` holds secrets.
      throw ConfigError(".env", "line " + std::to_string(number) + ": " + error.message);
    }
  }
  return env;
}

}  // namespace gh::config
