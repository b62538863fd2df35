#pragma once
// Counts events per key in a sliding window (the two-window estimate), in bounded memory:
// keys idle for two windows are swept, and a full table evicts its stalest key, so a
// flood of new addresses cannot grow it without end. Thread-safe (sharded locks).
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
    int remaining = 0;
    std::int64_t reset_seconds = 0;  // until the current window ends
    std::int64_t retry_after_seconds = 0;  // set when not allowed
  };

  WindowLimiter(int limit, int window_seconds, std::size_t max_keys = 100'000);

  // Counts one event for `key` if it is allowed.
  Decision hit(std::string_view key, std::int64_t now_micros);
  // Tells whether one more event would be allowed, without counting it.
  Decision peek(std::string_view key, std::int64_t now_micros);
  void reset(std::string_view key);
  std::size_t size() const;

 private:
  struct Entry {
    std::int64_t window_start = 0;  // micros, aligned to the window
    int current = 0;
    int previous = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::uint32_t hits_since_sweep = 0;
  };
  static constexpr std::size_t kShards = 16;

  Decision decide(std::string_view key, std::int64_t now, bool count);
  Shard& shard_for(std::string_view key);
  void roll(Entry& e, std::int64_t aligned) const;
  void make_room(Shard& shard, std::int64_t now);

  int limit_;
  std::int64_t window_;
  std::size_t max_keys_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gh
