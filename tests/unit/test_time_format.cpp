#include "core/time_format.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>

namespace gh {
namespace {

TEST(FormatRfc3339, FormatsTheEpoch) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000000Z");
}

TEST(FormatRfc3339, AlwaysWritesSixFractionDigits) {
  // 2026-11-25T14:20:00Z is 1795616400 s.
  EXPECT_EQ(format_rfc3339(1'795'616'400'123'456), "2026-11-25T14:20:00.123456Z");
  EXPECT_EQ(format_rfc3339(1'795'616'400'000'001), "2026-11-25T14:20:00.000001Z");
  EXPECT_EQ(format_rfc3339(1'795'616'400'000'000), "2026-11-25T14:20:00.000000Z");
}

TEST(FormatRfc3339, HandlesLeapDaysAndYearEnds) {
  EXPECT_EQ(format_rfc3339(951'782'400'000'000), "2000-02-29T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(1'709'251'199'999'999), "2024-02-29T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(1'735'689'599'999'999), "2024-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(253'402'300'799'999'999), "9999-12-31T23:59:59.999999Z");
}

TEST(FormatRfc3339, WidensYearsBeyondFourDigits) {
  EXPECT_EQ(format_rfc3339(253'402'300'800'000'000), "10000-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(-62'167'219'200'000'001), "-001-12-31T23:59:59.999999Z");
}

TEST(FormatRfc3339, FloorsTimesBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(-86'400'000'000), "1969-12-31T00:00:00.000000Z");
}

// The C library's calendar, for comparison: gmtime_r and printf, digit by digit.
std::string with_gmtime(std::int64_t unix_micros) {
  std::int64_t seconds = unix_micros / 1'000'000;
  std::int64_t micros = unix_micros % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --seconds;
  }
  const std::time_t t = seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

TEST(FormatRfc3339, AgreesWithTheCLibraryFromYearZeroToYear9999) {
  std::mt19937_64 random{20261126};
  std::uniform_int_distribution<std::int64_t> any_time{-62'167'219'200'000'000,
                                                       253'402'300'799'999'999};
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t t = any_time(random);
    ASSERT_EQ(format_rfc3339(t), with_gmtime(t)) << t;
  }
}

TEST(ParseRfc3339, ReadsWhatFormatWrites) {
  for (std::int64_t t :
       {std::int64_t{0}, std::int64_t{1'795'616'400'123'456}, std::int64_t{951'782'400'000'000},
        std::int64_t{-1}, std::int64_t{-62'135'596'800'000'000},
        std::int64_t{253'402'300'799'999'999}}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t) << format_rfc3339(t);
  }
}

TEST(ParseRfc3339, AppliesTheOffsetAndReadsAnyFraction) {
  const std::int64_t t = 1'795'616'400'000'000;  // 2026-11-25T14:20:00Z
  EXPECT_EQ(parse_rfc3339("2026-11-25T14:20:00Z"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-25t14:20:00z"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-25T16:50:00+02:30"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-25T09:20:00-05:00"), t);
  EXPECT_EQ(parse_rfc3339("2026-11-25T14:20:00.5Z"), t + 500'000);
  EXPECT_EQ(parse_rfc3339("2026-11-25T14:20:00.123456789Z"), t + 123'456);
}

TEST(ParseRfc3339, RefusesWhatIsNotADateTime) {
  for (const char* bad :
       {"", "2026-11-25", "2026-11-25T14:20:00", "2026-11-25 14:20:00Z", "2026-11-25T14:20Z",
        "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-25T14:60:00Z",
        "2026-11-25T14:20:60Z", "2026-11-25T24:00:00Z", "2026-11-25T14:20:00.Z",
        "2026-11-25T14:20:00+0200", "2026-11-25T14:20:00+24:00", "2026-11-25T14:20:00Zjunk",
        "0000-01-01T00:00:00Z", "+2026-11-25T14:20:00Z", "2026-1-25T14:20:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
  EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z"));
}

}  // namespace
}  // namespace gh
