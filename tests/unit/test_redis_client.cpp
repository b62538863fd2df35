// redis::Client and SharedRateLimiter against a real redis-server on loopback.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "core/api_error.hpp"
#include "redis/client.hpp"
#include "redis/shared_limiter.hpp"
#include "redis_process.hpp"
#include "run_async.hpp"

namespace gh::redis {
namespace {

using namespace std::chrono_literals;
using test::run_async;

// A command timeout no healthy Redis overruns, however busy the machine: a command that
// timed out would take the connection down with it, and the test with it. The test of the
// timeout itself sets a short one.
Options options_for(std::uint16_t port) {
  Options o;
  o.port = port;
  o.timeout = 10s;
  o.reconnect_delay = 50ms;
  return o;
}

bool wait_until(Client& c, bool available, std::chrono::milliseconds limit = 30s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (c.available() == available) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(RedisClient, RunsCommandsAndCopiesReplies) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  ASSERT_TRUE(wait_until(client, true));
  auto set = run_async(client.command({"SET", "k", std::string("a\0b", 3)}));
  ASSERT_TRUE(set);
  EXPECT_EQ(set->type, Reply::Type::status);
  auto get = run_async(client.command({"GET", "k"}));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->str, std::string("a\0b", 3));
  auto list = run_async(client.command({"EVAL", "return {1, 'x', false}", "0"}));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->elements.size(), 3u);
  EXPECT_EQ(list->elements[0].integer, 1);
  EXPECT_EQ(list->elements[1].str, "x");
  EXPECT_EQ(list->elements[2].type, Reply::Type::nil);
  auto error = run_async(client.command({"NOSUCHCOMMAND"}));
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->is_error());
}

TEST(RedisClient, LargeRepliesArriveWhole) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  ASSERT_TRUE(wait_until(client, true));
  const std::string big(3 * 1024 * 1024, 'z');  // far more than one socket read
  ASSERT_TRUE(run_async(client.command({"SET", "big", big})));
  auto got = run_async(client.command({"GET", "big"}));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str.size(), big.size());
  EXPECT_EQ(got->str, big);
}

// Many commands in flight at once from several io threads: every one is answered, none
// waits for a timeout (the adapter must not miss readiness on the edge-triggered reactor).
TEST(RedisClient, ManyConcurrentCommandsFromSeveralThreads) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  ASSERT_TRUE(wait_until(client, true));
  constexpr int kThreads = 4, kCoroutines = 50, kEach = 100;
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      boost::asio::io_context io;
      for (int c = 0; c < kCoroutines; ++c) {
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
              for (int i = 0; i < kEach; ++i) {
                auto r = co_await client.command({"INCR", "counter"});
                if (r && r->type == Reply::Type::integer)
                  ++answered;
                else
                  ++failed;
              }
            },
            boost::asio::detached);
      }
      io.run();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(answered.load(), kThreads * kCoroutines * kEach);
  auto total = run_async(client.command({"GET", "counter"}));
  ASSERT_TRUE(total);
  EXPECT_EQ(total->str, std::to_string(kThreads * kCoroutines * kEach));
}

// A process's first requests arrive while the client is still connecting: they wait for
// the connection (within the timeout) instead of being treated as an outage, which a
// fail-closed limiter would turn into 503s for a healthy Redis.
TEST(RedisClient, CommandsWhileFirstConnectingWaitForTheConnection) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  auto pong = run_async(client.command({"PING"}));
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->str, "PONG");
  Client other(options_for(redis.port()));
  SystemClock clock;
  SharedRateLimiter closed(other, "first", 5, 60, /*fail_open=*/false, clock);
  auto d = run_async(closed.hit("k"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 4);
}

TEST(RedisClient, UnavailableAnswersNothingAtOnceAndReconnects) {
  const auto port = test::free_port();
  Client client(options_for(port));
  EXPECT_FALSE(run_async(client.command({"PING"})));
  {
    test::RedisProcess redis(port);
    ASSERT_TRUE(wait_until(client, true));
    EXPECT_TRUE(run_async(client.command({"PING"})));
  }
  ASSERT_TRUE(wait_until(client, false));
  EXPECT_FALSE(run_async(client.command({"PING"})));
  test::RedisProcess again(port);
  ASSERT_TRUE(wait_until(client, true));
  EXPECT_TRUE(run_async(client.command({"PING"})));
}

TEST(RedisClient, HungServerTimesOut) {
  test::RedisProcess redis;
  auto o = options_for(redis.port());
  o.timeout = 500ms;
  Client client(o);
  ASSERT_TRUE(wait_until(client, true));
  redis.pause();
  // Without the deadline this would wait for as long as Redis is paused: forever.
  EXPECT_FALSE(run_async(client.command({"PING"})));
  // One unanswered command takes the connection down: the next ones fail at once instead
  // of each waiting out the deadline, and nothing piles up behind the silent socket.
  EXPECT_FALSE(client.available());
  EXPECT_FALSE(run_async(client.command({"PING"})));
  redis.resume();
  // Reconnected by itself, and answering. Tried a few times: on a busy machine one answer
  // slower than the short timeout takes the fresh connection down again.
  bool answered = false;
  for (int tries = 0; !answered && tries < 10; ++tries) {
    ASSERT_TRUE(wait_until(client, true));
    answered = run_async(client.command({"PING"})).has_value();
  }
  EXPECT_TRUE(answered);
}

TEST(RedisClient, SelectsTheDatabase) {
  test::RedisProcess redis;
  auto o = options_for(redis.port());
  o.db = 2;
  Client two(o);
  Client zero(options_for(redis.port()));
  ASSERT_TRUE(wait_until(two, true));
  ASSERT_TRUE(wait_until(zero, true));
  ASSERT_TRUE(run_async(two.command({"SET", "where", "two"})));
  EXPECT_EQ(run_async(zero.command({"GET", "where"}))->type, Reply::Type::nil);
  EXPECT_EQ(run_async(two.command({"GET", "where"}))->str, "two");
}

TEST(RedisClient, AuthenticatesWithThePassword) {
  test::RedisProcess redis(test::free_port(), "s3cret-pass");
  auto o = options_for(redis.port());
  o.password = "s3cret-pass";
  Client client(o);
  ASSERT_TRUE(wait_until(client, true));
  auto pong = run_async(client.command({"PING"}));
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->str, "PONG");
  auto wrong_options = options_for(redis.port());
  wrong_options.password = "wrong";
  Client wrong(wrong_options);
  // A refused password never makes the client available: commands answer nothing.
  EXPECT_FALSE(wait_until(wrong, true, 1500ms));
  EXPECT_FALSE(run_async(wrong.command({"PING"})));
}

// The shared limiter and the in-process one make the same decisions for the same events.
TEST(SharedRateLimiter, DecidesLikeTheLocalLimiter) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  ASSERT_TRUE(wait_until(client, true));
  SystemClock clock;
  SharedRateLimiter shared(client, "t", 5, 3600, true, clock);
  LocalRateLimiter local(5, 3600, clock);
  for (int i = 0; i < 7; ++i) {
    auto s = run_async(shared.hit("k"));
    auto l = run_async(local.hit("k"));
    EXPECT_EQ(s.allowed, l.allowed) << i;
    EXPECT_EQ(s.remaining, l.remaining) << i;
    EXPECT_EQ(s.limit, 5);
    if (!s.allowed) {
      EXPECT_NEAR(static_cast<double>(s.retry_after_seconds),
                  static_cast<double>(l.retry_after_seconds), 1.0);
    }
  }
  EXPECT_FALSE(run_async(shared.peek("k")).allowed);
  run_async(shared.reset("k"));
  auto fresh = run_async(shared.peek("k"));
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 5);
  // Two limiters (two instances) on one Redis share the budget.
  SharedRateLimiter other(client, "t", 5, 3600, true, clock);
  for (int i = 0; i < 3; ++i) run_async(shared.hit("z"));
  EXPECT_EQ(run_async(other.hit("z")).remaining, 1);
}

TEST(SharedRateLimiter, AGivenBackEventIsAllowedAgainOnEveryInstance) {
  test::RedisProcess redis;
  Client client(options_for(redis.port()));
  ASSERT_TRUE(wait_until(client, true));
  SystemClock clock;
  SharedRateLimiter shared(client, "g", 2, 3600, true, clock);
  SharedRateLimiter other(client, "g", 2, 3600, true, clock);
  EXPECT_TRUE(run_async(shared.hit("k")).allowed);
  EXPECT_TRUE(run_async(other.hit("k")).allowed);
  EXPECT_FALSE(run_async(shared.hit("k")).allowed);
  run_async(other.give_back("k"));
  EXPECT_TRUE(run_async(shared.hit("k")).allowed);
  EXPECT_FALSE(run_async(other.hit("k")).allowed);
  for (int i = 0; i < 3; ++i) run_async(shared.give_back("k"));  // never below empty
  EXPECT_EQ(run_async(other.peek("k")).remaining, 2);
}

TEST(SharedRateLimiter, FallsBackOrRefusesWithoutRedis) {
  Client client(options_for(test::free_port()));  // nothing listens there
  SystemClock clock;
  SharedRateLimiter open(client, "t", 2, 60, true, clock);
  EXPECT_TRUE(run_async(open.hit("k")).allowed);
  EXPECT_TRUE(run_async(open.hit("k")).allowed);
  EXPECT_FALSE(run_async(open.hit("k")).allowed);  // the in-process limiter counts
  SharedRateLimiter closed(client, "t", 2, 60, false, clock);
  try {
    run_async(closed.hit("k"));
    FAIL() << "expected 503";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
  }
}

}  // namespace
}  // namespace gh::redis
