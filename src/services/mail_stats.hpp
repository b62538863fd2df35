#pragma once
// What the outbox worker reports to /metrics.
#include <array>
#include <atomic>
#include <cstdint>

namespace gh::services {

// Counted since start, for /metrics; `outbox` is the rows in each state (MailState order) as
// the worker last counted them, `counted` once it has.
struct MailStats {
  std::atomic<std::uint64_t> sent{0}, retried{0}, failed{0}, skipped{0};
  std::array<std::atomic<std::int64_t>, 4> outbox{};
  std::atomic<bool> counted{false};
};

}  // namespace gh::services
