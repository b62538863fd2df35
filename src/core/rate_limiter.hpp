#pragma once
// "At most N events per window for each key", as one interface for the request rate limit
// and the failed-login throttle. LocalRateLimiter keeps the counts in this process;
// redis::SharedRateLimiter keeps them in Redis so every instance counts together.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/clock.hpp"
#include "core/window_limiter.hpp"

namespace gh {

class RateLimiter {
 public:
  using Decision = WindowLimiter::Decision;
  virtual ~RateLimiter() = default;

  // Counts one event for `key` if it is allowed.
  virtual boost::asio::awaitable<Decision> hit(std::string key) = 0;
  // Tells whether one more event would be allowed, without counting it.
  virtual boost::asio::awaitable<Decision> peek(std::string key) = 0;
  // Forgets the key's events.
  virtual boost::asio::awaitable<void> reset(std::string key) = 0;
  // Uncounts one event hit() counted: a failure taken ahead of its outcome that did not
  // happen (the failed-login throttle takes before the password check).
  virtual boost::asio::awaitable<void> give_back(std::string key) = 0;
};

class LocalRateLimiter final : public RateLimiter {
 public:
  LocalRateLimiter(int limit, int window_seconds, const Clock& clock)
      : limiter_(limit, window_seconds), clock_(clock) {}

  boost::asio::awaitable<Decision> hit(std::string key) override {
    co_return limiter_.hit(key, clock_.now_micros());
  }
  boost::asio::awaitable<Decision> peek(std::string key) override {
    co_return limiter_.peek(key, clock_.now_micros());
  }
  boost::asio::awaitable<void> reset(std::string key) override {
    limiter_.reset(key);
    co_return;
  }
  boost::asio::awaitable<void> give_back(std::string key) override {
    limiter_.give_back(key, clock_.now_micros());
    co_return;
  }

 private:
  WindowLimiter limiter_;
  const Clock& clock_;
};

}  // namespace gh
