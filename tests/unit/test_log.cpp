// Log lines: one JSON object per line, every field value escaped.
#include "core/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>

namespace gh::log {
namespace {

// What one log::write puts on stderr.
template <class F>
std::string captured_stderr(F write_line) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(fds[1], STDERR_FILENO);
  write_line();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  ::close(fds[0]);
  return out;
}

TEST(Log, JsonLineEscapesEveryValue) {
  configure(Level::info, Format::json);
  const std::string line = captured_stderr([] {
    info("request", {{"text", std::string_view("a\"b\\c\nd\re\tf\x01g/é")},
                     {"n", 42LL},
                     {"ms", 1.23456},
                     {"ok", true}});
  });
  const std::regex shape(
      R"(\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"info","event":"request",)"
      R"("text":"a\\"b\\\\c\\nd\\re\\tf\\u0001g/é","n":42,"ms":1\.235,"ok":true\}\n)");
  EXPECT_TRUE(std::regex_match(line, shape)) << line;
}

TEST(Log, TextLinesAndLevels) {
  configure(Level::warn, Format::text);
  EXPECT_EQ(captured_stderr([] { info("hidden"); }), "");
  const std::string line = captured_stderr([] { warn("shown", {{"k", std::string_view("v")}}); });
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(\S+Z warn shown k=v\n)"))) << line;
  configure(Level::info, Format::json);
}

}  // namespace
}  // namespace gh::log
