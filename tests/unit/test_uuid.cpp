#include "core/uuid.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace gh {
namespace {

int hex_value(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

TEST(UuidV7, IsCanonicalLowerCase) {
  const std::string id = uuid::v7(1'700'000'000'123'456);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(uuid::parse(id), id);
  for (char c : id) EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}

TEST(UuidV7, CarriesVersionVariantAndMilliseconds) {
  // 1700000000123 ms = 0x018bcfe5687b
  const std::string id = uuid::v7(1'700'000'000'123'456);
  EXPECT_EQ(id.substr(0, 13), "018bcfe5-687b");
  EXPECT_EQ(id[14], '7');
  const int variant = hex_value(id[19]);
  EXPECT_EQ(variant >> 2, 0b10);
}

TEST(UuidV7, SortsByTimeDownToTheMicrosecond) {
  const std::int64_t base = 1'700'000'000'000'000;
  std::string previous = uuid::v7(base);
  for (std::int64_t step = 1; step < 3000; step += 1) {
    const std::string next = uuid::v7(base + step);
    // 12 bits of sub-millisecond fraction distinguish microseconds ~0.24 us apart.
    EXPECT_LT(previous, next) << step;
    previous = next;
  }
}

TEST(UuidV7, IsUniqueWithinOneMicrosecond) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(uuid::v7(1'700'000'000'000'000));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidV7, ClampsTimesBeforeTheEpoch) {
  EXPECT_EQ(uuid::v7(-5).substr(0, 13), "00000000-0000");
}

TEST(UuidParse, LowerCasesAnyCase) {
  EXPECT_EQ(uuid::parse("018BCFE5-687B-7ABC-8DEF-0123456789AB"),
            "018bcfe5-687b-7abc-8def-0123456789ab");
  EXPECT_EQ(uuid::parse("00000000-0000-0000-0000-000000000000"),
            "00000000-0000-0000-0000-000000000000");
}

TEST(UuidParse, RefusesEverythingElse) {
  EXPECT_FALSE(uuid::parse(""));
  EXPECT_FALSE(uuid::parse("018bcfe5687b7abc8def0123456789ab"));               // no dashes
  EXPECT_FALSE(uuid::parse("{018bcfe5-687b-7abc-8def-0123456789ab}"));         // braces
  EXPECT_FALSE(uuid::parse("urn:uuid:018bcfe5-687b-7abc-8def-0123456789ab"));  // URN
  EXPECT_FALSE(uuid::parse("018bcfe5-687b-7abc-8def-0123456789a"));            // short
  EXPECT_FALSE(uuid::parse("018bcfe5-687b-7abc-8def-0123456789abc"));          // long
  EXPECT_FALSE(uuid::parse("018bcfe5-687b-7abc-8def-0123456789ag"));           // not hex
  EXPECT_FALSE(uuid::parse("018bcfe5-687b7-abc-8def-0123456789ab"));           // dash moved
  EXPECT_FALSE(uuid::parse("018bcfe5-687b-7abc-8def-0123456789a "));
  EXPECT_FALSE(uuid::parse(std::string("018bcfe5-687b-7abc-8def-0123456789a\0", 36)));
}

}  // namespace
}  // namespace gh
