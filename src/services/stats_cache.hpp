#pragma once
// The /users/stats answer, kept for a short time. Any change to users drops it, so an
// admin never waits a whole TTL to see their own change. LocalStatsCache keeps it in this
// process; SharedStatsCache (services/shared_stats_cache.hpp) in Redis, for every instance.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <mutex>
#include <optional>

#include "core/clock.hpp"
#include "db/user_repository.hpp"

namespace gh::services {

class StatsCache {
 public:
  // What get() found, and the generation it saw: counts read after a get() are kept by
  // put() only if no invalidation happened in between, so counts read across a change are
  // never cached.
  struct Lookup {
    std::optional<models::UserCounts> counts;
    std::int64_t generation = 0;
    bool shared = false;  // the generation is Redis's, not this process's
  };

  virtual ~StatsCache() = default;
  virtual boost::asio::awaitable<Lookup> get() = 0;
  virtual boost::asio::awaitable<void> put(models::UserCounts counts, Lookup seen) = 0;
  virtual boost::asio::awaitable<void> invalidate() = 0;
};

class LocalStatsCache final : public StatsCache {
 public:
  LocalStatsCache(std::int64_t ttl_micros, const Clock& clock) : ttl_(ttl_micros), clock_(clock) {}

  Lookup lookup() const {
    std::lock_guard lock(mutex_);
    Lookup l;
    l.generation = generation_;
    if (value_ && clock_.now_micros() < expires_) l.counts = value_;
    return l;
  }
  void store(const models::UserCounts& counts, std::int64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    value_ = counts;
    expires_ = clock_.now_micros() + ttl_;
  }
  void drop() {
    std::lock_guard lock(mutex_);
    value_.reset();
    ++generation_;
  }

  boost::asio::awaitable<Lookup> get() override { co_return lookup(); }
  boost::asio::awaitable<void> put(models::UserCounts counts, Lookup seen) override {
    store(counts, seen.generation);
    co_return;
  }
  boost::asio::awaitable<void> invalidate() override {
    drop();
    co_return;
  }

 private:
  mutable std::mutex mutex_;
  std::int64_t ttl_;
  const Clock& clock_;
  std::optional<models::UserCounts> value_;
  std::int64_t expires_ = 0;
  std::int64_t generation_ = 0;
};

}  // namespace gh::services
