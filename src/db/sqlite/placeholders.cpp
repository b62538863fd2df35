#include "db/sqlite/placeholders.hpp"

#include <cctype>
#include <cstddef>

namespace gh::db::sqlite {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Index just past the quoted run opened at `start`; a doubled closing quote is an escape.
std::size_t skip_quoted(std::string_view sql, std::size_t start, char close) {
  std::size_t i = start + 1;
  while (i < sql.size()) {
    if (sql[i] != close) {
      ++i;
    } else if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
      i += 2;
    } else {
      return i + 1;
    }
  }
  return sql.size();
}

std::size_t skip_line_comment(std::string_view sql, std::size_t start) {
  const std::size_t end = sql.find('\n', start);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

std::size_t skip_block_comment(std::string_view sql, std::size_t start) {
  const std::size_t end = sql.find("*/", start + 2);
  return end == std::string_view::npos ? sql.size() : end + 2;
}

// Index just past the literal, identifier or comment starting at `i`, or `i` if none does.
std::size_t skip_non_code(std::string_view sql, std::size_t i) {
  const char c = sql[i];
  const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'' || c == '"' || c == '`') return skip_quoted(sql, i, c);
  if (c == '[') return skip_quoted(sql, i, ']');
  if (c == '-' && next == '-') return skip_line_comment(sql, i);
  if (c == '/' && next == '*') return skip_block_comment(sql, i);
  return i;
}

}  // namespace

std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    const std::size_t skipped = skip_non_code(sql, i);
    if (skipped != i) {
      out.append(sql.substr(i, skipped - i));
      i = skipped;
    } else if (sql[i] == '$' && i + 1 < sql.size() && is_digit(sql[i + 1])) {
      out.push_back('?');
      ++i;
    } else {
      out.push_back(sql[i++]);
    }
  }
  return out;
}

}  // namespace gh::db::sqlite
