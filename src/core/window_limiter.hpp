#pragma once
// At most `limit` events per `window` for each key, as GCRA (the generic cell rate
// algorithm): a burst of `limit`, then one more every window/limit. One timestamp per key,
// so memory stays small and bounded: keys that have fully recovered are swept, and a full
// table evicts the key closest to recovery, so a flood of new addresses cannot grow it
// without end. Retry-After is exact, and never longer than the window. The same rule is
// one atomic step in Redis, for a limit shared by several instances. Thread-safe.
#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gh {

class WindowLimiter {
 public:
  struct Decision {
    bool allowed = true;
    int limit = 0;
    int remaining = 0;                     // events that would still be allowed right now
    std::int64_t reset_seconds = 0;        // until the whole quota is back
    std::int64_t retry_after_seconds = 0;  // set when not allowed
  };

  WindowLimiter(int limit, int window_seconds, std::size_t max_keys = 100'000);

  // Counts one event for `key` if it is allowed.
  Decision hit(std::string_view key, std::int64_t now_micros);
  // Tells whether one more event would be allowed, without counting it.
  Decision peek(std::string_view key, std::int64_t now_micros);
  void reset(std::string_view key);
  // Uncounts one counted event (the arrival time moves back one interval, never before now).
  void give_back(std::string_view key, std::int64_t now_micros);
  std::size_t size() const;

 private:
  struct Shard {
    mutable std::mutex mutex;
    // key -> theoretical arrival time: when the key will have its whole quota back.
    std::unordered_map<std::string, std::int64_t> tats;
    std::uint32_t hits_since_sweep = 0;
  };
  static constexpr std::size_t kShards = 16;

  Decision decide(std::string_view key, std::int64_t now, bool count);
  Shard& shard_for(std::string_view key);
  void make_room(Shard& shard, std::int64_t now);

  int limit_;
  std::int64_t window_;
  std::int64_t interval_;  // window / limit: the cost of one event
  std::size_t max_keys_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gh
