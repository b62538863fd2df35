#pragma once
// The /users/stats cache in Redis, so an invalidation by one instance is seen by all.
// A value and a generation counter: invalidate() bumps the counter and deletes the value
// in one script, and put() stores only if the counter is still what get() saw, so counts
// read while another instance changed users are never cached.
//
// While Redis is unavailable the cache lives in this process (LocalStatsCache); a value
// another instance cached in Redis just before an outage can outlive an invalidation made
// during it by at most the TTL.
#include "redis/client.hpp"
#include "services/stats_cache.hpp"

namespace gh::services {

class SharedStatsCache final : public StatsCache {
 public:
  SharedStatsCache(redis::Client& client, int ttl_seconds, const Clock& clock)
      : client_(client),
        ttl_millis_(static_cast<std::int64_t>(ttl_seconds) * 1000),
        local_(static_cast<std::int64_t>(ttl_seconds) * 1'000'000, clock) {}

  boost::asio::awaitable<Lookup> get() override;
  boost::asio::awaitable<void> put(models::UserCounts counts, Lookup seen) override;
  boost::asio::awaitable<void> invalidate() override;

 private:
  redis::Client& client_;
  std::int64_t ttl_millis_;
  LocalStatsCache local_;
};

}  // namespace gh::services
