#pragma once
// Structured logs: one line per event on stderr, JSON (for machines) or text (for people).
// Lines are written whole, at most PIPE_BUF bytes per call, so lines from different threads
// never interleave. Never pass a password, a token or a secret as a field.
#include <functional>
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

// From now on, lines logged on this thread are kept and written together: the first line
// of a batch calls `schedule_flush`, which must arrange for flush_thread() to run on this
// thread soon. An io thread posts it to its event loop, so it runs right after the handlers
// already queued: a burst of requests costs one write(2) instead of one per access-log
// line (a tenth of a small request's cost). Lines still kept when the thread ends are
// written then.
void batch_on_this_thread(std::function<void()> schedule_flush);
void flush_thread();

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
