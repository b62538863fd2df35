#pragma once
// The /users/stats answer, kept for a short time. Any change to users drops it, so an
// admin never waits a whole TTL to see their own change.
#include <cstdint>
#include <mutex>
#include <optional>

#include "db/user_repository.hpp"

namespace gh::services {

class StatsCache {
 public:
  explicit StatsCache(std::int64_t ttl_micros) : ttl_(ttl_micros) {}

  std::optional<db::UserCounts> get(std::int64_t now) const {
    std::lock_guard lock(mutex_);
    if (!value_ || now >= expires_) return std::nullopt;
    return value_;
  }
  // `generation` is what invalidations() said before the counts were read, so counts
  // read across a change are not kept.
  void put(const db::UserCounts& counts, std::int64_t now, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    value_ = counts;
    expires_ = now + ttl_;
  }
  void invalidate() {
    std::lock_guard lock(mutex_);
    value_.reset();
    ++generation_;
  }
  std::uint64_t generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
  }

 private:
  mutable std::mutex mutex_;
  std::int64_t ttl_;
  std::optional<db::UserCounts> value_;
  std::int64_t expires_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace gh::services
