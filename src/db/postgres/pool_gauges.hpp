#pragma once
#include <atomic>
#include <cstdint>

namespace gh::db::postgres {

// What every pool of one database reports for /metrics, summed over the io threads'
// pools. Atomics: written by each pool's thread, read by whoever scrapes.
struct PoolGauges {
  std::atomic<std::int64_t> in_use{0};
  std::atomic<std::int64_t> idle{0};
  std::atomic<std::int64_t> waiting{0};
};

}  // namespace gh::db::postgres
