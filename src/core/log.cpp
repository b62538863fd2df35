#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace gh::log {
namespace {

std::atomic<Level> g_level{Level::info};
std::atomic<Format> g_format{Format::json};

constexpr std::string_view level_name(Level l) {
  switch (l) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    default: return "off";
  }
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void append_value(std::string& out, const FieldValue& v, bool json) {
  if (auto s = std::get_if<std::string_view>(&v)) {
    json ? append_json_string(out, *s) : void(out.append(*s));
  } else if (auto i = std::get_if<long long>(&v)) {
    out += std::to_string(*i);
  } else if (auto d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", *d);
    out += buf;
  } else {
    out += std::get<bool>(v) ? "true" : "false";
  }
}

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

Level parse_level(std::string_view name) {
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error, Level::off})
    if (level_name(l) == name) return l;
  return Level::info;
}

bool enabled(Level level) { return level >= g_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level) || level == Level::off) return;
  bool json = g_format.load(std::memory_order_relaxed) == Format::json;
  std::string line;
  line.reserve(256);
  if (json) {
    line += "{\"time\":\"" + timestamp() + "\",\"level\":\"";
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
    line += timestamp() + " " + std::string(level_name(level)) + " " + std::string(event);
    for (const auto& [key, value] : fields) {
      line += " ";
      line += key;
      line += "=";
      append_value(line, value, false);
    }
    line += "\n";
  }
  // One write(2) per line: atomic for pipes up to PIPE_BUF and never interleaved mid-line.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace gh::log
