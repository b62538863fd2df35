// IoLoad (the io threads' CPU use) and HashGate (hashes at once, fewer while it is high).
#include "core/io_load.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "services/crypto/hash_gate.hpp"

namespace gh {
namespace {

using namespace std::chrono_literals;

struct FakeClocks {
  IoLoad::Nanos cpu = 0, wall = 0;
  IoLoad::Sources sources() {
    return {[this] { return cpu; }, [this] { return wall; }};
  }
};

TEST(IoLoad, CoresAreCpuTimeOverWallTimePerWindow) {
  FakeClocks c;
  IoLoad load(c.sources(), 10ms);
  c.wall = 10'000'000;
  c.cpu = 15'000'000;  // 15 ms of CPU in 10 ms: one and a half cores
  EXPECT_DOUBLE_EQ(load.cores(), 1.5);
  c.wall += 4'000'000;  // within the window: the last reading stands
  c.cpu += 4'000'000;
  EXPECT_DOUBLE_EQ(load.cores(), 1.5);
  c.wall += 16'000'000;  // 20 ms since the last reading, 4 ms of CPU in it
  EXPECT_DOUBLE_EQ(load.cores(), 0.2);
}

TEST(IoLoad, AThreadLeavingNeverMakesItNegative) {
  FakeClocks c;
  IoLoad load(c.sources(), 10ms);
  c.wall = 10'000'000;
  c.cpu = 9'000'000;
  EXPECT_DOUBLE_EQ(load.cores(), 0.9);
  c.wall += 10'000'000;
  c.cpu = 1'000'000;  // the busiest thread left, taking its clock with it
  EXPECT_DOUBLE_EQ(load.cores(), 0.0);
}

TEST(IoThreads, ReadsTheRegisteredThreadsOwnClocks) {
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    io_threads::enter();
    while (!stop.load()) {
    }
    io_threads::leave();
  });
  // Window after window until the spinner shows: on a busy machine a new thread may wait
  // well past one window before it first runs.
  double seen = 0.0;
  for (int windows = 0; seen == 0.0 && windows < 1000; ++windows) {
    std::this_thread::sleep_for(15ms);
    seen = io_threads::load().cores();
  }
  stop = true;
  spinner.join();
  EXPECT_GT(seen, 0.0);
  io_threads::load().cores();
  std::this_thread::sleep_for(15ms);
  EXPECT_DOUBLE_EQ(io_threads::load().cores(), 0.0);  // nobody registered: nothing used
}

}  // namespace

namespace crypto {
namespace {

TEST(HashGate, AllThreadsAtOnceWhileNothingElseIsBusy) {
  HashGate gate(2, [] { return false; });
  gate.enter();
  gate.enter();  // would wait forever if the second place were refused
  EXPECT_EQ(gate.most_at_once(), 2u);
  gate.leave();
  gate.leave();
}

TEST(HashGate, OneFewerWhileOtherWorkIsBusy) {
  std::atomic<bool> busy{true};
  HashGate gate(2, [&] { return busy.load(); });
  gate.enter();
  std::atomic<bool> second_in{false};
  std::thread second([&] {
    gate.enter();
    second_in = true;
    gate.leave();
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(second_in.load());
  gate.leave();  // the first hash ends: the second may start
  second.join();
  EXPECT_TRUE(second_in.load());
  EXPECT_EQ(gate.most_at_once(), 1u);
}

TEST(HashGate, AWaitingHashStartsWhenTheOtherWorkStops) {
  std::atomic<bool> busy{true};
  HashGate gate(2, [&] { return busy.load(); });
  gate.enter();
  std::thread second([&] {
    gate.enter();
    gate.leave();
  });
  std::this_thread::sleep_for(20ms);
  busy = false;  // nobody leaves; the waiting hash must notice on its own
  second.join();
  EXPECT_EQ(gate.most_at_once(), 2u);
  gate.leave();
}

TEST(HashGate, OneThreadIsNeverHeldBack) {
  HashGate gate(1, [] { return true; });
  gate.enter();
  gate.leave();
  EXPECT_EQ(gate.most_at_once(), 1u);
}

}  // namespace
}  // namespace crypto
}  // namespace gh
