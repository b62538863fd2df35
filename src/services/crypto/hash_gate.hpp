#pragma once
// How many hashes run at once: all of the pool's threads while the machine has nothing
// else to do, one fewer while `busy()` says other work wants the cores. Measured on two
// cores during a login storm, a second Argon2id beside the io threads doubled their p99
// (bench/README.md). A hash that may not start yet waits on its own hashing thread.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

namespace gh::crypto {

class HashGate {
 public:
  // Without `busy`, every thread may hash at once.
  HashGate(unsigned threads, std::function<bool()> busy);

  void enter();
  void leave();

  // Holds one place, from enter() to leave(), for as long as a hash runs.
  class Turn {
   public:
    explicit Turn(HashGate& gate) : gate_(gate) { gate_.enter(); }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() { gate_.leave(); }

   private:
    HashGate& gate_;
  };

  // The most hashes that ran at once so far.
  unsigned most_at_once() const;

 private:
  unsigned allowed() const;

  const unsigned threads_;
  const std::function<bool()> busy_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  unsigned running_ = 0;
  unsigned most_ = 0;
};

}  // namespace gh::crypto
