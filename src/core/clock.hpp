#pragma once
// Time comes through one place so tests can control it.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace gh {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual std::int64_t now_micros() const = 0;
  std::int64_t now_seconds() const { return now_micros() / 1'000'000; }
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_micros() const override {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t micros = 1'700'000'000'000'000) : now_(micros) {}
  std::int64_t now_micros() const override { return now_.load(); }
  void advance_seconds(std::int64_t s) { now_ += s * 1'000'000; }
  void set_micros(std::int64_t m) { now_ = m; }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace gh
