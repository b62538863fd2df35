#pragma once
// Argon2id's working memory, kept by each hashing thread instead of mapped fresh per hash.
//
// libsodium maps the 19 MiB of every hash with mmap and unmaps it after; the kernel's side
// of that (a zeroed page per fault, then the unmap) cost as much as the hash itself, and
// two hashes at once contended on it (bench/README.md, item 20). The server is linked with
// `--wrap=mmap,--wrap=munmap` against a static libsodium, so its two calls come here: on a thread
// that keeps an arena, an anonymous mapping of the arena's size is the arena, and unmapping it
// wipes it instead. Everywhere else, and for any other mapping, the calls go straight to the
// kernel.
//
// The arena is wiped when each hash returns it (the blocks are derived from the password)
// and kept out of core dumps. It costs each busy hashing thread one hash's memory, which is
// also what the thread needs to hash at all; release_idle() gives back the arenas of
// threads that have stopped hashing.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <thread>

namespace gh::crypto::hash_arena {

// From now on this thread keeps the memory of its hashes. Once per thread; idempotent.
void keep_on_this_thread();

// From any thread: unmaps every kept arena not in use and unused for at least `idle`.
void release_idle(std::chrono::milliseconds idle);

// A thread that calls release_idle(idle) every `idle`, for as long as it lives.
class Trimmer {
 public:
  explicit Trimmer(std::chrono::milliseconds idle);
  ~Trimmer();
  Trimmer(const Trimmer&) = delete;
  Trimmer& operator=(const Trimmer&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// This thread's arena, empty if it has none yet (for tests).
std::span<const std::byte> this_thread_arena();

// Mappings served from an arena, and mappings the arenas had to make, since start.
struct Counts {
  std::uint64_t reused;
  std::uint64_t mapped;
};
Counts counts();

}  // namespace gh::crypto::hash_arena
