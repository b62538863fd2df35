#include "core/window_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gh {
namespace {

constexpr std::int64_t kSecond = 1'000'000;
// Aligned to every window used here, so tests start at a window's first microsecond.
constexpr std::int64_t kStart = 1'700'000'040 * kSecond;

TEST(WindowLimiter, AllowsUpToTheLimitThenRefuses) {
  WindowLimiter limiter(3, 60);
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.hit("a", kStart + i);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  auto d = limiter.hit("a", kStart + 3);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_GE(d.retry_after_seconds, 1);
}

TEST(WindowLimiter, AGivenBackEventIsAllowedAgain) {
  WindowLimiter limiter(2, 60);
  EXPECT_TRUE(limiter.hit("a", kStart).allowed);
  EXPECT_TRUE(limiter.hit("a", kStart + 1).allowed);
  EXPECT_FALSE(limiter.hit("a", kStart + 2).allowed);
  limiter.give_back("a", kStart + 3);
  EXPECT_TRUE(limiter.hit("a", kStart + 4).allowed);
  EXPECT_FALSE(limiter.hit("a", kStart + 5).allowed);
  limiter.give_back("a", kStart + 6);
  limiter.give_back("a", kStart + 6);
  limiter.give_back("a", kStart + 6);  // more than was counted: the whole quota, no more
  EXPECT_EQ(limiter.size(), 0U);
  EXPECT_TRUE(limiter.hit("a", kStart + 7).allowed);
  EXPECT_TRUE(limiter.hit("a", kStart + 8).allowed);
  EXPECT_FALSE(limiter.hit("a", kStart + 9).allowed);
}

TEST(WindowLimiter, KeysAreCountedApart) {
  WindowLimiter limiter(1, 60);
  EXPECT_TRUE(limiter.hit("a", kStart).allowed);
  EXPECT_FALSE(limiter.hit("a", kStart + 1).allowed);
  EXPECT_TRUE(limiter.hit("b", kStart + 2).allowed);
}

TEST(WindowLimiter, PeekDoesNotCount) {
  WindowLimiter limiter(1, 60);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.peek("a", kStart + i).allowed);
  EXPECT_TRUE(limiter.hit("a", kStart + 10).allowed);
  EXPECT_FALSE(limiter.peek("a", kStart + 11).allowed);
}

TEST(WindowLimiter, RefillsOneEventPerWindowOverLimit) {
  WindowLimiter limiter(10, 10);  // one event back every second
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.hit("a", kStart + i).allowed);
  EXPECT_FALSE(limiter.hit("a", kStart + kSecond / 2).allowed);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.hit("a", kStart + 5 * kSecond + i).allowed;
  EXPECT_EQ(allowed, 5);
}

TEST(WindowLimiter, AWholeWindowLaterTheWholeQuotaIsBack) {
  WindowLimiter limiter(4, 10);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(limiter.hit("a", kStart + i).allowed);
  auto d = limiter.peek("a", kStart + 10 * kSecond + 10);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 4);
}

TEST(WindowLimiter, RetryAfterNeverExceedsTheWindow) {
  WindowLimiter limiter(1, 60);
  ASSERT_TRUE(limiter.hit("a", kStart).allowed);
  auto d = limiter.hit("a", kStart + 1);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 60);
}

// Retry-After must be honest: waiting that long is enough, and not much more than needed.
TEST(WindowLimiter, RetryAfterIsLongEnough) {
  for (int limit : {1, 3, 10}) {
    for (std::int64_t offset : {std::int64_t{0}, 3 * kSecond, 9 * kSecond}) {
      WindowLimiter limiter(limit, 10);
      std::int64_t now = kStart + offset;
      WindowLimiter::Decision d;
      while ((d = limiter.hit("a", now)).allowed) now += 1000;
      const std::int64_t retry = d.retry_after_seconds * kSecond;
      // Earlier time first: the limiter expects its clock to move forward.
      EXPECT_FALSE(limiter.peek("a", now + retry - kSecond - 1).allowed) << limit << " " << offset;
      EXPECT_TRUE(limiter.peek("a", now + retry).allowed) << limit << " " << offset;
    }
  }
}

TEST(WindowLimiter, AFloodOfNewKeysStaysBounded) {
  WindowLimiter limiter(5, 1, /*max_keys=*/160);
  for (int i = 0; i < 10'000; ++i) limiter.hit("client-" + std::to_string(i), kStart + i);
  EXPECT_LE(limiter.size(), 160u);
}

TEST(WindowLimiter, KeysIdleForTwoWindowsAreSwept) {
  WindowLimiter limiter(5, 1);
  for (int i = 0; i < 1000; ++i) limiter.hit("old-" + std::to_string(i), kStart + i);
  // Enough traffic later, on enough keys, for every shard to sweep at least once.
  for (int i = 0; i < 200'000; ++i)
    limiter.hit("new-" + std::to_string(i % 1000), kStart + 3 * kSecond + i);
  EXPECT_EQ(limiter.size(), 1000u);
}

TEST(WindowLimiter, ResetForgetsAKey) {
  WindowLimiter limiter(1, 60);
  EXPECT_TRUE(limiter.hit("a", kStart).allowed);
  limiter.reset("a");
  EXPECT_TRUE(limiter.hit("a", kStart + 1).allowed);
}

}  // namespace
}  // namespace gh
