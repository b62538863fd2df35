#include "core/utf8_prefix.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gh {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8Prefix, KeepsShortValidTextAsItIs) {
  EXPECT_EQ(utf8_prefix("", 5), "");
  EXPECT_EQ(utf8_prefix("Mozilla/5.0", 256), "Mozilla/5.0");
  EXPECT_EQ(utf8_prefix("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80", 256),
            "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(Utf8Prefix, CountsCharactersNotBytes) {
  // Two-, three- and four-byte characters count one each.
  EXPECT_EQ(utf8_prefix("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x", 3),
            "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(utf8_prefix("abcdef", 4), "abcd");
  EXPECT_EQ(utf8_prefix("abc", 0), "");
}

TEST(Utf8Prefix, NeverCutsACharacterInTwo) {
  const std::string euros = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";
  EXPECT_EQ(utf8_prefix(euros, 2), "\xE2\x82\xAC\xE2\x82\xAC");
  const std::string long_text(300, 'a');
  const std::string with_tail = long_text.substr(0, 255) + "\xC3\xA9" + "zz";
  const std::string cut = utf8_prefix(with_tail, 256);
  EXPECT_EQ(cut, long_text.substr(0, 255) + "\xC3\xA9");
}

TEST(Utf8Prefix, ReplacesEachBadByteAndNul) {
  EXPECT_EQ(utf8_prefix("a\xFF"
                        "b",
                        10),
            "a" + kFffd + "b");
  EXPECT_EQ(utf8_prefix(std::string("a\0b", 3), 10), "a" + kFffd + "b");
  // Truncated, overlong, surrogate and out-of-range sequences.
  EXPECT_EQ(utf8_prefix("\xE2\x82", 10), kFffd + kFffd);
  EXPECT_EQ(utf8_prefix("\xC0\xAF", 10), kFffd + kFffd);
  EXPECT_EQ(utf8_prefix("\xED\xA0\x80", 10), kFffd + kFffd + kFffd);
  EXPECT_EQ(utf8_prefix("\xF4\x90\x80\x80", 10), kFffd + kFffd + kFffd + kFffd);
  // A replacement counts as one character.
  EXPECT_EQ(utf8_prefix("\xFF\xFF\xFF", 2), kFffd + kFffd);
}

}  // namespace
}  // namespace gh
