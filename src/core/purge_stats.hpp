#pragma once
// What /metrics reports of a background purge (jobs/purge.hpp): single relaxed
// atomics, written by the purge's thread and read by a scrape.
#include <atomic>
#include <cstdint>

namespace gh {

struct PurgeStats {
  std::atomic<std::uint64_t> purged{0};  // rows deleted since the process started
  // When the latest run finished with nothing left to delete, in Unix seconds; 0 until
  // then. A batch job's health is how long ago it last succeeded.
  std::atomic<std::int64_t> last_success_seconds{0};
};

}  // namespace gh
