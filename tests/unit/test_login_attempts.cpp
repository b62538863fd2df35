// Logins in progress, and the line of logins waiting for one of them to end.
#include "services/login_attempts.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <optional>
#include <vector>

namespace gh::services {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const LoginAttempts::Keys kVictim{"p:victim@example.com|203.0.113.7", "a:victim@example.com",
                                  "i:203.0.113.7"};

// Runs a wait on `io` and records its outcome.
void wait(boost::asio::io_context& io, LoginAttempts& attempts, const std::string& key,
          Clock::duration patience, std::optional<bool>& outcome) {
  boost::asio::co_spawn(
      io,
      [&attempts, key, patience, &outcome]() -> boost::asio::awaitable<void> {
        outcome = co_await attempts.wait_for_release(key, Clock::now() + patience);
      },
      boost::asio::detached);
}

TEST(LoginAttempts, ATicketHoldsItsKeysUntilItEnds) {
  LoginAttempts attempts;
  {
    auto ticket = attempts.hold(kVictim);
    EXPECT_EQ(attempts.keys(), 3U);
    auto moved = std::move(ticket);  // the hold moves with it, and ends once
  }
  EXPECT_EQ(attempts.keys(), 0U);
}

TEST(LoginAttempts, NothingInProgressMeansNoWait) {
  LoginAttempts attempts;
  boost::asio::io_context io;
  std::optional<bool> outcome;
  wait(io, attempts, kVictim[0], 10s, outcome);
  io.run();
  EXPECT_EQ(outcome, false);
}

TEST(LoginAttempts, AnEndingLoginWakesTheFirstInLine) {
  LoginAttempts attempts;
  boost::asio::io_context io;
  std::optional<LoginAttempts::Ticket> ahead(attempts.hold(kVictim));
  std::optional<bool> first, second;
  wait(io, attempts, kVictim[0], 10s, first);
  wait(io, attempts, kVictim[0], 200ms, second);
  boost::asio::post(io, [&] { ahead.reset(); });
  const auto started = Clock::now();
  io.run();
  EXPECT_EQ(first, true);
  EXPECT_EQ(second, false);  // one login ended: one waiter woke; the other ran out of time
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_EQ(attempts.keys(), 0U);
}

TEST(LoginAttempts, TheLineIsBounded) {
  LoginAttempts attempts;
  boost::asio::io_context io;
  std::optional<LoginAttempts::Ticket> ahead(attempts.hold(kVictim));
  std::vector<std::optional<bool>> outcomes(LoginAttempts::kMaxWaiters + 1);
  for (auto& outcome : outcomes) wait(io, attempts, kVictim[1], 10s, outcome);
  io.run_for(100ms);
  EXPECT_EQ(outcomes.back(), false);  // refused at once
  EXPECT_FALSE(outcomes.front().has_value());
  ahead.reset();
  io.run_for(100ms);
  EXPECT_EQ(outcomes.front(), true);
}

}  // namespace
}  // namespace gh::services
