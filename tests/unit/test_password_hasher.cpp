#include "services/crypto/password_hasher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/api_error.hpp"

namespace gh::crypto {
namespace {

namespace asio = boost::asio;

// libsodium's minimum cost, so the tests stay fast.
constexpr PasswordHasher::Params kFast{1, 8192};

// Awaits coroutines on an io_context, as an io thread would. The context outlives the
// hashers declared in each test, so no pool thread still touches it while it dies.
class PasswordHasherTest : public ::testing::Test {
 protected:
  template <class T>
  T run(asio::awaitable<T> work) {
    io_.restart();
    auto result = asio::co_spawn(io_, std::move(work), asio::use_future);
    io_.run();
    return result.get();
  }
  // Four verifies in flight together; true when all four succeed.
  // Sixteen verifies queued at once: enough work that both hash threads get scheduled
  // while it lasts, even on a machine busy with the rest of the suite.
  bool verify_many_at_once(PasswordHasher& hasher, const std::string& hash) {
    io_.restart();
    std::vector<std::future<bool>> results;
    for (int i = 0; i < 16; ++i)
      results.push_back(asio::co_spawn(io_, hasher.verify(hash, "pw"), asio::use_future));
    io_.run();
    bool all = true;
    for (auto& r : results) all = r.get() && all;
    return all;
  }

 private:
  asio::io_context io_;
};

TEST_F(PasswordHasherTest, HashesAndVerifies) {
  PasswordHasher hasher{kFast, 2, 8};
  const std::string hash = run(hasher.hash("correct horse battery staple"));
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(run(hasher.verify(hash, "correct horse battery staple")));
  EXPECT_FALSE(run(hasher.verify(hash, "correct horse battery stapler")));
  EXPECT_FALSE(run(hasher.verify(hash, "")));
  EXPECT_EQ(hasher.queue_depth(), 0u);
}

TEST_F(PasswordHasherTest, SaltsEveryHash) {
  PasswordHasher hasher{kFast, 1, 4};
  EXPECT_NE(run(hasher.hash("same password")), run(hasher.hash("same password")));
}

TEST_F(PasswordHasherTest, KeepsEveryByteOfThePassword) {
  PasswordHasher hasher{kFast, 1, 4};
  const std::string hash = run(hasher.hash(std::string("a\0b", 3)));
  EXPECT_TRUE(run(hasher.verify(hash, std::string("a\0b", 3))));
  EXPECT_FALSE(run(hasher.verify(hash, std::string("a\0c", 3))));
  EXPECT_FALSE(run(hasher.verify(hash, "a")));
}

TEST_F(PasswordHasherTest, MalformedHashesVerifyFalse) {
  PasswordHasher hasher{kFast, 1, 4};
  const std::string good = run(hasher.hash("pw"));
  for (const std::string& bad :
       {std::string(), std::string("garbage"), std::string("$argon2id$v=19$m=8,t=1,p=1$bad"),
        std::string("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"),
        good.substr(0, good.size() - 1), good + std::string("\0x", 2), std::string(300, '$')}) {
    EXPECT_FALSE(run(hasher.verify(bad, "pw"))) << bad;
  }
  EXPECT_EQ(hasher.queue_depth(), 0u);
}

TEST_F(PasswordHasherTest, VerifiesBcryptFromTheReferenceAppAndAsksToUpgradeIt) {
  // Written by passlib 1.7.4 (`passlib.hash.bcrypt`, cost 4 to keep the test quick).
  const std::string bcrypt = "$2b$04$NFumU2tb5nAignSWWoeZC.CuZk6facGsBfjBuAfvAVchbHvuCONV.";
  PasswordHasher hasher{kFast, 1, 4};
  EXPECT_TRUE(run(hasher.verify(bcrypt, "Str0ngP@ss!")));
  EXPECT_FALSE(run(hasher.verify(bcrypt, "Str0ngP@ss?")));
  EXPECT_TRUE(hasher.needs_rehash(bcrypt));
}

TEST_F(PasswordHasherTest, AsksForARehashWhenParametersChange) {
  PasswordHasher fast{kFast, 1, 4};
  PasswordHasher stronger{{2, 16384}, 1, 4};
  const std::string hash = run(fast.hash("pw"));
  EXPECT_FALSE(fast.needs_rehash(hash));
  EXPECT_TRUE(stronger.needs_rehash(hash));
  EXPECT_TRUE(fast.needs_rehash("garbage"));
  EXPECT_TRUE(fast.needs_rehash(""));
}

TEST_F(PasswordHasherTest, VerifyDummyCompletes) {
  PasswordHasher hasher{kFast, 1, 4};
  run(hasher.verify_dummy("whatever"));
  EXPECT_EQ(hasher.queue_depth(), 0u);
}

TEST_F(PasswordHasherTest, ResumesOnTheCallersThreadAfterHashingElsewhere) {
  PasswordHasher hasher{kFast, 1, 4};
  std::thread::id before, after;
  run([&]() -> asio::awaitable<void> {
    before = std::this_thread::get_id();
    co_await hasher.hash("pw");
    after = std::this_thread::get_id();
  }());
  EXPECT_EQ(before, after);
  EXPECT_EQ(before, std::this_thread::get_id());
}

TEST_F(PasswordHasherTest, AnswersBusyWhenTheQueueIsFull) {
  PasswordHasher hasher{kFast, 1, 1};
  // Admission happens at the call, so these two hold both places until awaited.
  auto first = hasher.hash("a");
  auto second = hasher.verify("$argon2id$x", "b");
  EXPECT_EQ(hasher.queue_depth(), 2u);
  try {
    static_cast<void>(hasher.hash("c"));
    FAIL() << "expected 503";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "SERVICE_UNAVAILABLE");
    EXPECT_EQ(e.detail(), "Password hashing is busy, try again");
  }
  EXPECT_THROW(static_cast<void>(hasher.verify("h", "p")), ApiError);
  EXPECT_THROW(static_cast<void>(hasher.verify_dummy("p")), ApiError);
  EXPECT_EQ(hasher.queue_depth(), 2u);

  EXPECT_FALSE(run(std::move(second)));
  EXPECT_FALSE(run(std::move(first)).empty());
  EXPECT_EQ(hasher.queue_depth(), 0u);
  EXPECT_FALSE(run(hasher.hash("d")).empty());
}

TEST_F(PasswordHasherTest, FreesThePlaceOfAJobNeverAwaited) {
  PasswordHasher hasher{kFast, 1, 0};
  { auto dropped = hasher.hash("a"); }
  EXPECT_EQ(hasher.queue_depth(), 0u);
  EXPECT_FALSE(run(hasher.hash("b")).empty());
}

TEST_F(PasswordHasherTest, SequentialCallsNeverSeeTheirOwnPlaceTaken) {
  PasswordHasher hasher{kFast, 1, 0};
  run([&]() -> asio::awaitable<void> {
    for (int i = 0; i < 50; ++i) co_await hasher.verify_dummy("pw");
  }());
  EXPECT_EQ(hasher.queue_depth(), 0u);
}

TEST_F(PasswordHasherTest, RefusesWorkAfterStop) {
  PasswordHasher hasher{kFast, 1, 4};
  hasher.stop();
  hasher.stop();
  EXPECT_THROW(static_cast<void>(hasher.hash("a")), ApiError);
}

// Hashes long enough (16 MiB) that four on two threads overlap unless held apart.
constexpr PasswordHasher::Params kOverlapping{1, 16u * 1024 * 1024};

TEST_F(PasswordHasherTest, RunsOneHashFewerWhileOtherWorkIsBusy) {
  PasswordHasher hasher{kOverlapping, 2, 16, [] { return true; }};
  const std::string hash = run(hasher.hash("pw"));
  EXPECT_TRUE(verify_many_at_once(hasher, hash));
  EXPECT_EQ(hasher.most_at_once(), 1u);
}

TEST_F(PasswordHasherTest, RunsOnEveryThreadWhileNothingElseIsBusy) {
  PasswordHasher hasher{kOverlapping, 2, 16, [] { return false; }};
  const std::string hash = run(hasher.hash("pw"));
  // The two threads overlap unless the machine, busy with other tests, runs only one of them
  // at a time for a whole round: the high-water mark is given several rounds to show it.
  for (int round = 0; round < 10 && hasher.most_at_once() < 2u; ++round)
    EXPECT_TRUE(verify_many_at_once(hasher, hash));
  EXPECT_EQ(hasher.most_at_once(), 2u);
}

TEST_F(PasswordHasherTest, RefusesImpossibleSettings) {
  EXPECT_THROW(PasswordHasher(kFast, 0, 4), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({1, 1024}, 1, 4), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({0, 8192}, 1, 4), std::invalid_argument);
}

TEST_F(PasswordHasherTest, DefaultParametersAreOwaspArgon2id) {
  PasswordHasher hasher{{}, 1, 4};
  const std::string hash = run(hasher.hash("correct horse battery staple"));
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(run(hasher.verify(hash, "correct horse battery staple")));
  EXPECT_FALSE(run(hasher.verify(hash, "wrong")));
  EXPECT_FALSE(hasher.needs_rehash(hash));
}

}  // namespace
}  // namespace gh::crypto
