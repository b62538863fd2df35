#include "core/io_load.hpp"

#include <pthread.h>
#include <time.h>

#include <algorithm>
#include <vector>

namespace gh {

IoLoad::IoLoad(Sources sources, std::chrono::milliseconds window)
    : sources_(std::move(sources)),
      window_(std::chrono::duration_cast<std::chrono::nanoseconds>(window).count()) {}

double IoLoad::cores() {
  std::lock_guard lock(mutex_);
  const Nanos wall = sources_.wall();
  if (wall - since_wall_ < window_) return cores_;
  const Nanos cpu = sources_.cpu();
  // A thread that left takes its CPU time with it: the sum can go down, never below zero.
  cores_ = static_cast<double>(std::max<Nanos>(0, cpu - since_cpu_)) /
           static_cast<double>(wall - since_wall_);
  since_wall_ = wall;
  since_cpu_ = cpu;
  return cores_;
}

namespace io_threads {
namespace {

std::mutex g_mutex;
std::vector<pthread_t> g_threads;

IoLoad::Nanos nanos(const timespec& ts) {
  return static_cast<IoLoad::Nanos>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

IoLoad::Nanos cpu_of_registered() {
  std::lock_guard lock(g_mutex);
  IoLoad::Nanos total = 0;
  for (pthread_t t : g_threads) {
    clockid_t clock;
    timespec ts{};
    if (pthread_getcpuclockid(t, &clock) == 0 && clock_gettime(clock, &ts) == 0) total += nanos(ts);
  }
  return total;
}

IoLoad::Nanos steady_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return nanos(ts);
}

}  // namespace

void enter() {
  std::lock_guard lock(g_mutex);
  g_threads.push_back(pthread_self());
}

void leave() {
  std::lock_guard lock(g_mutex);
  std::erase_if(g_threads, [self = pthread_self()](pthread_t t) { return pthread_equal(t, self); });
}

IoLoad& load() {
  static IoLoad instance({cpu_of_registered, steady_now});
  return instance;
}

}  // namespace io_threads
}  // namespace gh
