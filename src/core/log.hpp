#pragma once
// Structured logs: one line per event on stderr, JSON (for machines) or text (for people).
// A line is written with one call, so lines from different threads never interleave.
// Never pass a password, a token or a secret as a field.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gh::log {

enum class Level { trace, debug, info, warn, error, off };
enum class Format { json, text };

void configure(Level level, Format format);
Level parse_level(std::string_view name);  // unknown names mean info
bool enabled(Level level);

using FieldValue = std::variant<std::string_view, long long, double, bool>;
using Field = std::pair<std::string_view, FieldValue>;

void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void info(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::info, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::warn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::error, event, fields);
}

}  // namespace gh::log
