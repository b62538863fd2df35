// Logins in progress count against what the failed-login throttle still allows.
#include "services/login_attempts.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gh::services {
namespace {

TEST(LoginAttempts, AnAccountHasNoMoreLoginsInProgressThanFailuresLeft) {
  LoginAttempts attempts;
  auto first = attempts.begin("victim@example.com", 2, "203.0.113.7", 50);
  auto second = attempts.begin("victim@example.com", 2, "203.0.113.8", 50);
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_FALSE(attempts.begin("victim@example.com", 2, "203.0.113.9", 50));
  EXPECT_TRUE(attempts.begin("bystander@example.com", 2, "203.0.113.9", 50));  // its own count
}

TEST(LoginAttempts, AnAddressHasNoMoreLoginsInProgressThanFailuresLeft) {
  LoginAttempts attempts;
  auto first = attempts.begin("one@example.com", 5, "203.0.113.7", 1);
  ASSERT_TRUE(first);
  EXPECT_FALSE(attempts.begin("two@example.com", 5, "203.0.113.7", 1));
  EXPECT_TRUE(attempts.begin("two@example.com", 5, "198.51.100.1", 1));
}

TEST(LoginAttempts, AnEndedLoginGivesItsPlaceBack) {
  LoginAttempts attempts;
  {
    auto ticket = attempts.begin("victim@example.com", 1, "203.0.113.7", 1);
    ASSERT_TRUE(ticket);
    EXPECT_FALSE(attempts.begin("victim@example.com", 1, "203.0.113.7", 1));
    auto moved = std::move(*ticket);  // the place moves with it, and is given back once
  }
  EXPECT_EQ(attempts.keys(), 0U);
  EXPECT_TRUE(attempts.begin("victim@example.com", 1, "203.0.113.7", 1));
}

TEST(LoginAttempts, NoRoomLeftAtAllRefusesEveryLogin) {
  LoginAttempts attempts;
  EXPECT_FALSE(attempts.begin("victim@example.com", 0, "203.0.113.7", 50));
  EXPECT_FALSE(attempts.begin("victim@example.com", 5, "203.0.113.7", 0));
  EXPECT_EQ(attempts.keys(), 0U);
}

TEST(LoginAttempts, ThreadsAtOnceNeverHoldMoreThanAllowed) {
  LoginAttempts attempts;
  std::atomic<int> held{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (auto ticket = attempts.begin("victim@example.com", 3, "203.0.113.7", 50)) {
          const int now = ++held;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          --held;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(attempts.keys(), 0U);
}

}  // namespace
}  // namespace gh::services
