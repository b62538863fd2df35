// Log lines: one JSON object per line, every field value escaped.
#include "core/log.hpp"

#include "captured_stderr.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <limits.h>

#include <algorithm>
#include <limits>
#include <regex>
#include <string>
#include <thread>

namespace gh::log {
namespace {

using test::captured_stderr;

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

// Whatever a value is, the line stays JSON: numbers JSON cannot carry are null, an empty
// view (which may have no data at all) is "", and a line longer than the kept buffer is
// written whole.
TEST(Log, JsonLineStaysJsonForEveryValue) {
  configure(Level::info, Format::json);
  const std::string huge(100 * 1024, '"');
  const std::string line = captured_stderr([&] {
    info("edge", {{"empty", std::string_view()},
                  {"nan", std::numeric_limits<double>::quiet_NaN()},
                  {"inf", -std::numeric_limits<double>::infinity()},
                  {"negative", -2.5},
                  {"min", std::numeric_limits<long long>::min()},
                  {"no", false},
                  {"huge", std::string_view(huge)}});
  });
  const std::string start = R"(","level":"info","event":"edge","empty":"","nan":null,"inf":null,)"
                            R"("negative":-2.500,"min":-9223372036854775808,"no":false,"huge":")";
  ASSERT_NE(line.find(start), std::string::npos) << line.substr(0, 300);
  const std::size_t huge_at = line.find(start) + start.size();
  EXPECT_EQ(line.size(), huge_at + 2 * huge.size() + 3);  // each quote escaped, then "}\n
  EXPECT_EQ(line.substr(line.size() - 3), "\"}\n");
}

TEST(Log, TextLinesAndLevels) {
  configure(Level::warn, Format::text);
  EXPECT_EQ(captured_stderr([] { info("hidden"); }), "");
  const std::string line = captured_stderr([] { warn("shown", {{"k", std::string_view("v")}}); });
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(\S+Z warn shown k=v\n)"))) << line;
  configure(Level::info, Format::json);
}

// A value a client chose (a User-Agent in an audit line) cannot pose as fields of its own:
// one with a space, quote, equals sign or control character is quoted as a JSON string.
TEST(Log, TextValuesThatCouldForgeFieldsAreQuoted) {
  configure(Level::info, Format::text);
  const std::string line = captured_stderr([] {
    info("audit", {{"user_agent", std::string_view("x outcome=success \"a\\b\"\n")},
                   {"outcome", std::string_view("failure")},
                   {"plain", std::string_view("Mozilla/5.0")},
                   {"empty", std::string_view("")}});
  });
  EXPECT_TRUE(std::regex_match(
      line, std::regex(R"(\S+Z info audit user_agent="x outcome=success \\"a\\\\b\\"\\n" )"
                       R"(outcome=failure plain=Mozilla/5.0 empty=\n)")))
      << line;
  configure(Level::info, Format::json);
}

// Runs `body` on a thread of its own, so its batching ends with it.
template <class F>
void on_a_batching_thread(int& scheduled, F body) {
  std::thread([&] {
    batch_on_this_thread([&] { ++scheduled; });
    body();
  }).join();
}

TEST(Log, BatchedLinesWaitForTheFlushAndKeepTheirOrder) {
  configure(Level::info, Format::text);
  int scheduled = 0;
  on_a_batching_thread(scheduled, [] {
    EXPECT_EQ(captured_stderr([] {
                info("one");
                info("two");
              }),
              "");
    const std::string out = captured_stderr([] { flush_thread(); });
    EXPECT_TRUE(std::regex_match(out, std::regex(R"(\S+Z info one\n\S+Z info two\n)"))) << out;
  });
  EXPECT_EQ(scheduled, 1);  // once per batch, not per line
  configure(Level::info, Format::json);
}

TEST(Log, AFullBatchIsWrittenWithoutWaitingAndNeverSplitsALine) {
  configure(Level::info, Format::text);
  int scheduled = 0;
  const std::string filler(100, 'x');
  on_a_batching_thread(scheduled, [&] {
    const std::string early = captured_stderr([&] {
      for (int i = 0; i < 100; ++i) info("line", {{"i", static_cast<long long>(i)}, {"f", filler}});
    });
    ASSERT_FALSE(early.empty()) << "more than PIPE_BUF was kept back";
    EXPECT_LE(early.size(), 100U * 160U);
    EXPECT_EQ(early.back(), '\n');
    const std::string late = captured_stderr([] { flush_thread(); });
    const std::string all = early + late;
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 100);
    EXPECT_NE(all.find(" i=0 "), std::string::npos);
    EXPECT_LT(all.find(" i=98 "), all.find(" i=99 "));
  });
  configure(Level::info, Format::json);
}

TEST(Log, LinesKeptWhenTheThreadEndsAreWritten) {
  configure(Level::info, Format::text);
  int scheduled = 0;
  const std::string out =
      captured_stderr([&] { on_a_batching_thread(scheduled, [] { info("last"); }); });
  EXPECT_TRUE(std::regex_match(out, std::regex(R"(\S+Z info last\n)"))) << out;
  configure(Level::info, Format::json);
}

}  // namespace
}  // namespace gh::log
