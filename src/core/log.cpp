#include "core/log.hpp"

#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/json_string.hpp"

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

void append_value(std::string& out, const FieldValue& v, bool json) {
  if (auto s = std::get_if<std::string_view>(&v)) {
    json ? append_json_string(out, *s) : void(out.append(*s));
  } else if (auto i = std::get_if<long long>(&v)) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, *i).ptr);
  } else if (auto d = std::get_if<double>(&v); d && *d >= 0 && *d < 1e15) {
    // Durations: thousandths as an integer, cheaper than formatting a double.
    const auto thousandths = std::llround(*d * 1000);
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, thousandths / 1000).ptr);
    const auto frac = static_cast<int>(thousandths % 1000);
    out += '.';
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + frac / 10 % 10);
    out += static_cast<char>('0' + frac % 10);
  } else if (auto d = std::get_if<double>(&v)) {
    char buf[64];  // "%.3f" without printf's locale and format parsing
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::fixed, 3);
    out.append(buf, ec == std::errc{} ? end : buf);
  } else {
    out += std::get<bool>(v) ? "true" : "false";
  }
}

// "2026-01-02T03:04:05.678Z". The part up to the seconds changes once a second, so each
// thread keeps it formatted: a log line costs no gmtime_r and no snprintf.
void append_timestamp(std::string& out) {
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
  out += cached;
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
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
  bool json = g_format.load(std::memory_order_relaxed) == Format::json;
  thread_local std::string line;  // keeps its capacity: no allocation per line
  line.clear();
  if (json) {
    line += "{\"time\":\"";
    append_timestamp(line);
    line += "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"event\":";
    append_json_string(line, event);
    for (const auto& [key, value] : fields) {
      line += ",\"";
      line += key;
      line += "\":";
      append_value(line, value, true);
    }
    line += "}\n";
  } else {
    append_timestamp(line);
    line += ' ';
    line += level_name(level);
    line += ' ';
    line += event;
    for (const auto& [key, value] : fields) {
      line += " ";
      line += key;
      line += "=";
      append_value(line, value, false);
    }
    line += "\n";
  }
  emit(line);
}

}  // namespace gh::log
