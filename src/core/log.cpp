#include "core/log.hpp"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "core/json_string.hpp"
#include "core/put_bytes.hpp"

namespace gh::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::json};

constexpr std::string_view level_name(Level l) {
  switch (l) {
    case Level::trace:
      return "trace";
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
    default:
      return "off";
  }
}

// A number, a boolean, or null for a double JSON cannot carry. At most kScalarBound bytes.
constexpr std::size_t kScalarBound = 64;
char* put_scalar(char* at, const FieldValue& v) {
  if (auto i = std::get_if<long long>(&v)) return std::to_chars(at, at + 24, *i).ptr;
  if (auto b = std::get_if<bool>(&v)) return put_bytes(at, *b ? "true" : "false");
  const double d = std::get<double>(v);
  if (d >= 0 && d < 1e15) {
    // Durations: thousandths as an integer, cheaper than formatting a double.
    const auto thousandths = std::llround(d * 1000);
    at = std::to_chars(at, at + 24, thousandths / 1000).ptr;
    const auto frac = static_cast<int>(thousandths % 1000);
    *at++ = '.';
    *at++ = static_cast<char>('0' + frac / 100);
    *at++ = static_cast<char>('0' + frac / 10 % 10);
    *at++ = static_cast<char>('0' + frac % 10);
    return at;
  }
  // "%.3f" without printf's locale and format parsing; what does not fit is no number.
  auto [end, ec] = std::to_chars(at, at + kScalarBound, d, std::chars_format::fixed, 3);
  return ec == std::errc{} && std::isfinite(d) ? end : put_bytes(at, "null");
}

// "2026-01-02T03:04:05.678Z": 24 bytes. The part up to the seconds changes once a second,
// so each thread keeps it formatted: a log line costs no gmtime_r and no snprintf.
constexpr std::size_t kTimestampSize = 24;
char* put_timestamp(char* at) {
  using namespace std::chrono;
  const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const std::int64_t secs = now / 1000;
  thread_local std::int64_t cached_secs = -1;
  thread_local char cached[24];
  if (secs != cached_secs) {
    const auto t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
  }
  const auto ms = static_cast<int>(now % 1000);
  at = put_bytes(at, {cached, 19});
  *at++ = '.';
  *at++ = static_cast<char>('0' + ms / 100);
  *at++ = static_cast<char>('0' + ms / 10 % 10);
  *at++ = static_cast<char>('0' + ms % 10);
  *at++ = 'Z';
  return at;
}

// The most bytes a JSON line can take: sized first, then written through a pointer
// (appending piece by piece checked the capacity at every piece: a tenth of a request).
std::size_t json_line_bound(std::string_view event, std::initializer_list<Field> fields) {
  std::size_t bound = 64 + kTimestampSize + json_string_bound(event.size());
  for (const auto& [key, value] : fields) {
    const auto* s = std::get_if<std::string_view>(&value);
    bound += key.size() + 4 + (s ? json_string_bound(s->size()) : kScalarBound);
  }
  return bound;
}

char* put_json_line(char* at, Level level, std::string_view event,
                    std::initializer_list<Field> fields) {
  at = put_bytes(at, "{\"time\":\"");
  at = put_timestamp(at);
  at = put_bytes(at, "\",\"level\":\"");
  at = put_bytes(at, level_name(level));
  at = put_bytes(at, "\",\"event\":");
  at = put_json_string(at, event);
  for (const auto& [key, value] : fields) {
    at = put_bytes(at, ",\"");
    at = put_bytes(at, key);
    at = put_bytes(at, "\":");
    const auto* s = std::get_if<std::string_view>(&value);
    at = s ? put_json_string(at, *s) : put_scalar(at, value);
  }
  return put_bytes(at, "}\n");
}

// A text value a reader could take for more than one value (a client's User-Agent with
// " outcome=success" in it): such a value is written as a quoted JSON string instead.
bool needs_quotes(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '=' || c == '\\';
  });
}

void append_text_line(std::string& line, Level level, std::string_view event,
                      std::initializer_list<Field> fields) {
  char scalar[kScalarBound];
  line.append(scalar, put_timestamp(scalar));
  line += ' ';
  line += level_name(level);
  line += ' ';
  line += event;
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    const auto* s = std::get_if<std::string_view>(&value);
    if (!s)
      line.append(scalar, put_scalar(scalar, value));
    else if (needs_quotes(*s))
      append_json_string(line, *s);
    else
      line.append(*s);
  }
  line += '\n';
}

void write_out(std::string_view bytes) {
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
}

// A write to a pipe of up to PIPE_BUF bytes is atomic: batches stay within it.
constexpr std::size_t kAtomicWrite = PIPE_BUF;

struct ThreadBatch {
  std::string pending;
  std::function<void()> schedule_flush;  // empty: every line is written at once
  bool scheduled = false;
  ~ThreadBatch() { write_pending(); }
  void write_pending() {
    if (pending.empty()) return;
    write_out(pending);
    pending.clear();
  }
};

thread_local ThreadBatch t_batch;

void emit(std::string_view line) {
  ThreadBatch& batch = t_batch;
  if (!batch.schedule_flush || line.size() > kAtomicWrite) {
    write_out(line);
    return;
  }
  if (batch.pending.size() + line.size() > kAtomicWrite) batch.write_pending();
  batch.pending += line;
  if (!batch.scheduled) {
    batch.scheduled = true;
    batch.schedule_flush();
  }
}

}  // namespace

void batch_on_this_thread(std::function<void()> schedule_flush) {
  flush_thread();
  t_batch.schedule_flush = std::move(schedule_flush);
}

void flush_thread() {
  t_batch.scheduled = false;
  t_batch.write_pending();
}

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

Level parse_level(std::string_view name) {
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error, Level::off})
    if (level_name(l) == name) return l;
  return Level::info;
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level) || level == Level::off) return;
  if (g_format.load(std::memory_order_relaxed) == Format::text) {
    thread_local std::string line;  // keeps its capacity: no allocation per line
    line.clear();
    append_text_line(line, level, event, fields);
    emit(line);
    return;
  }
  // Each thread keeps a buffer for ordinary lines; a huge one gets its own, freed after.
  constexpr std::size_t kKeptBuffer = 64 * 1024;
  thread_local std::vector<char> kept;
  const std::size_t bound = json_line_bound(event, fields);
  std::vector<char> once;
  std::vector<char>& buffer = bound <= kKeptBuffer ? kept : once;
  if (buffer.size() < bound) buffer.resize(bound);
  const char* end = put_json_line(buffer.data(), level, event, fields);
  emit({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

}  // namespace gh::log
