// hash_arena: Argon2's memory kept per hashing thread, through the linker-wrapped mmap.
#include "services/crypto/hash_arena.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "core/crypto_init.hpp"
#include "core/run_sync.hpp"
#include "services/crypto/password_hasher.hpp"

namespace gh::crypto {
namespace {

constexpr std::size_t kMemory = 4u * 1024 * 1024;
constexpr std::size_t kPages = kMemory / 4096;

std::string hash_now(const char* password) {
  char out[crypto_pwhash_STRBYTES];
  EXPECT_EQ(crypto_pwhash_str_alg(out, password, std::strlen(password), 1, kMemory,
                                  crypto_pwhash_ALG_ARGON2ID13),
            0);
  return out;
}

bool verify_now(const std::string& hash, const char* password) {
  return crypto_pwhash_str_verify(hash.c_str(), password, std::strlen(password)) == 0;
}

long faults_on_this_thread() {
  rusage u{};
  ::getrusage(RUSAGE_THREAD, &u);
  return u.ru_minflt;
}

// Runs f on a new thread, as a hashing thread would (each test gets a fresh arena).
template <class F>
void on_a_thread(F f) {
  std::thread t(f);
  t.join();
}

TEST(HashArena, HashesStillVerifyOnKeptMemory) {
  crypto_init();
  on_a_thread([] {
    hash_arena::keep_on_this_thread();
    const std::string hash = hash_now("correct horse");
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(verify_now(hash, "correct horse"));
      EXPECT_FALSE(verify_now(hash, "correct horsf"));
    }
    EXPECT_EQ(hash_arena::this_thread_arena().size(), kMemory);
  });
}

TEST(HashArena, KeptMemoryIsWipedWhenTheHashReturnsIt) {
  crypto_init();
  on_a_thread([] {
    hash_arena::keep_on_this_thread();
    static_cast<void>(hash_now("a password whose blocks must not linger"));
    auto arena = hash_arena::this_thread_arena();
    ASSERT_EQ(arena.size(), kMemory);
    EXPECT_TRUE(
        std::all_of(arena.begin(), arena.end(), [](std::byte b) { return b == std::byte{0}; }));
  });
}

// The point of the arena: the second hash on a thread does not fault its memory in again.
TEST(HashArena, TheNextHashCostsNoPageFaults) {
  crypto_init();
  const auto before = hash_arena::counts();
  long kept_faults = 0, fresh_faults = 0;
  on_a_thread([&] {
    hash_arena::keep_on_this_thread();
    const std::string hash = hash_now("pw");
    const long start = faults_on_this_thread();
    EXPECT_TRUE(verify_now(hash, "pw"));
    kept_faults = faults_on_this_thread() - start;
  });
  on_a_thread([&] {  // a thread that keeps nothing: the kernel maps every hash afresh
    const std::string hash = hash_now("pw");
    const long start = faults_on_this_thread();
    EXPECT_TRUE(verify_now(hash, "pw"));
    fresh_faults = faults_on_this_thread() - start;
    EXPECT_TRUE(hash_arena::this_thread_arena().empty());
  });
  EXPECT_LT(kept_faults, static_cast<long>(kPages / 8));
  EXPECT_GT(fresh_faults, static_cast<long>(kPages / 2));
  const auto after = hash_arena::counts();
  EXPECT_EQ(after.mapped - before.mapped, 1u);
  EXPECT_EQ(after.reused - before.reused, 1u);
}

TEST(HashArena, OtherMappingsGoToTheKernel) {
  on_a_thread([] {
    hash_arena::keep_on_this_thread();
    void* p = ::mmap(nullptr, kMemory, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    // While the arena is out, a second mapping is the kernel's, and unmapping it is real.
    void* q = ::mmap(nullptr, kMemory, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(q, MAP_FAILED);
    EXPECT_NE(p, q);
    EXPECT_EQ(::munmap(q, kMemory), 0);
    EXPECT_EQ(::munmap(p, kMemory), 0);  // kept
    EXPECT_EQ(hash_arena::this_thread_arena().data(), static_cast<const std::byte*>(p));
    void* again =
        ::mmap(nullptr, kMemory, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_EQ(again, p);
    // Unmapping part of it is not a hash returning it: the arena is forgotten, the rest
    // stays mapped and is the caller's to unmap.
    EXPECT_EQ(::munmap(p, 4096), 0);
    EXPECT_TRUE(hash_arena::this_thread_arena().empty());
    EXPECT_EQ(::munmap(static_cast<char*>(p) + 4096, kMemory - 4096), 0);
  });
}

TEST(HashArena, IdleArenasAreGivenBackInUseOnesNever) {
  crypto_init();
  std::mutex m;
  std::condition_variable cv;
  int step = 0;
  auto wait_for_step = [&](int n) {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return step >= n; });
  };
  auto go_to_step = [&](int n) {
    std::lock_guard lock(m);
    step = n;
    cv.notify_all();
  };
  bool kept_after_recent = false, kept_while_lent = false, gone_after_idle = false;
  std::thread hasher([&] {
    hash_arena::keep_on_this_thread();
    static_cast<void>(hash_now("pw"));
    go_to_step(1);
    wait_for_step(2);  // released unless used within the hour: still here
    kept_after_recent = !hash_arena::this_thread_arena().empty();
    void* p = ::mmap(nullptr, kMemory, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    go_to_step(3);
    wait_for_step(4);  // released if idle at all, but it is lent: still here
    kept_while_lent = hash_arena::this_thread_arena().data() == static_cast<std::byte*>(p);
    ::munmap(p, kMemory);
    go_to_step(5);
    wait_for_step(6);  // idle and released
    gone_after_idle = hash_arena::this_thread_arena().empty();
  });
  wait_for_step(1);
  hash_arena::release_idle(std::chrono::hours(1));
  go_to_step(2);
  wait_for_step(3);
  hash_arena::release_idle(std::chrono::milliseconds(0));
  go_to_step(4);
  wait_for_step(5);
  hash_arena::release_idle(std::chrono::milliseconds(0));
  go_to_step(6);
  hasher.join();
  EXPECT_TRUE(kept_after_recent);
  EXPECT_TRUE(kept_while_lent);
  EXPECT_TRUE(gone_after_idle);
}

TEST(HashArena, ThePasswordHashersThreadsKeepTheirMemory) {
  const auto before = hash_arena::counts();
  {
    PasswordHasher hasher({1, kMemory}, 1, 4);
    const std::string hash = run_sync(hasher.hash("pw"));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(run_sync(hasher.verify(hash, "pw")));
  }
  // The dummy hash, one hash and three verifies on one thread: one mapping, reused after.
  const auto after = hash_arena::counts();
  EXPECT_EQ(after.mapped - before.mapped, 1u);
  EXPECT_EQ(after.reused - before.reused, 4u);
}

}  // namespace
}  // namespace gh::crypto
