#pragma once
// How much CPU the io threads use right now, read from their own CPU clocks. The password
// hasher asks before it runs hashes side by side: while the io threads need the cores, a
// second Argon2id at once (19 MiB streamed through the shared cache) costs every other
// request its tail latency (bench/README.md, the login storm).
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace gh {

class IoLoad {
 public:
  using Nanos = std::int64_t;
  // The CPU time used by the io threads so far, and a steady clock: the threads' own
  // clocks in production, fakes in tests.
  struct Sources {
    std::function<Nanos()> cpu;
    std::function<Nanos()> wall;
  };
  explicit IoLoad(Sources sources,
                  std::chrono::milliseconds window = std::chrono::milliseconds(10));

  // The io threads' CPU use over the last completed window, in cores. Thread-safe.
  double cores();

 private:
  Sources sources_;
  Nanos window_;
  std::mutex mutex_;
  Nanos since_wall_ = 0, since_cpu_ = 0;
  double cores_ = 0;
};

// The process's io threads: each registers for as long as it runs.
namespace io_threads {
void enter();
void leave();
IoLoad& load();  // over the threads registered at each reading
}  // namespace io_threads

}  // namespace gh
