#include "core/time_format.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gh
