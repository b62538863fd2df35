#pragma once
// A RateLimiter whose state lives in Redis, so every instance behind a load balancer
// counts together. Each decision is one atomic Lua script (GCRA, the same rule as
// WindowLimiter, timed by Redis's own clock so instances' clocks need not agree).
//
// When Redis is unavailable or slow, fail-open decides with the in-process limiter (each
// instance then limits on its own); fail-closed refuses with 503.
#include <memory>
#include <string>

#include "core/rate_limiter.hpp"
#include "redis/client.hpp"

namespace gh::redis {

class SharedRateLimiter final : public RateLimiter {
 public:
  // `name` separates this limiter's keys from others' ("rl", "login").
  SharedRateLimiter(Client& client, std::string name, int limit, int window_seconds, bool fail_open,
                    const Clock& clock);

  boost::asio::awaitable<Decision> hit(std::string key) override;
  boost::asio::awaitable<Decision> peek(std::string key) override;
  boost::asio::awaitable<void> reset(std::string key) override;
  boost::asio::awaitable<void> give_back(std::string key) override;

 private:
  boost::asio::awaitable<Decision> decide(std::string key, bool count);
  std::string redis_key(const std::string& key) const;

  Client& client_;
  std::string prefix_;
  int limit_;
  std::int64_t window_;  // microseconds
  bool fail_open_;
  LocalRateLimiter fallback_;
};

}  // namespace gh::redis
