#include "core/window_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace gh {

WindowLimiter::WindowLimiter(int limit, int window_seconds, std::size_t max_keys)
    : limit_(limit),
      window_(static_cast<std::int64_t>(window_seconds) * 1'000'000),
      max_keys_per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

WindowLimiter::Shard& WindowLimiter::shard_for(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void WindowLimiter::roll(Entry& e, std::int64_t aligned) const {
  if (e.window_start == aligned) return;
  e.previous = (aligned - e.window_start == window_) ? e.current : 0;
  e.current = 0;
  e.window_start = aligned;
}

void WindowLimiter::make_room(Shard& shard, std::int64_t now) {
  std::erase_if(shard.entries,
                [&](const auto& kv) { return now - kv.second.window_start >= 2 * window_; });
  shard.hits_since_sweep = 0;
  if (shard.entries.size() < max_keys_per_shard_) return;
  auto stalest = std::min_element(shard.entries.begin(), shard.entries.end(),
                                  [](const auto& a, const auto& b) {
                                    return a.second.window_start < b.second.window_start;
                                  });
  shard.entries.erase(stalest);
}

WindowLimiter::Decision WindowLimiter::hit(std::string_view key, std::int64_t now) {
  return decide(key, now, true);
}

WindowLimiter::Decision WindowLimiter::peek(std::string_view key, std::int64_t now) {
  return decide(key, now, false);
}

WindowLimiter::Decision WindowLimiter::decide(std::string_view key, std::int64_t now, bool count) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (++shard.hits_since_sweep >= 4096 || shard.entries.size() >= max_keys_per_shard_)
    make_room(shard, now);
  const std::int64_t aligned = now - now % window_;
  auto it = shard.entries.find(std::string(key));
  if (it == shard.entries.end()) {
    if (!count) return Decision{true, limit_, limit_, (aligned + window_ - now + 999'999) / 1'000'000};
    it = shard.entries.emplace(std::string(key), Entry{aligned, 0, 0}).first;
  }
  Entry& e = it->second;
  roll(e, aligned);
  // The previous window weighs in for the part of it that still lies inside the sliding
  // window ending now.
  const double weight = 1.0 - static_cast<double>(now - aligned) / static_cast<double>(window_);
  const double used = e.previous * weight + e.current;
  Decision d;
  d.limit = limit_;
  d.reset_seconds = (aligned + window_ - now + 999'999) / 1'000'000;
  if (used + 1.0 > limit_ + 1e-9) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after_seconds = std::max<std::int64_t>(1, d.reset_seconds);
    return d;
  }
  if (count) ++e.current;
  d.remaining = std::max(0, static_cast<int>(std::floor(limit_ - used - (count ? 1 : 0))));
  return d;
}

void WindowLimiter::reset(std::string_view key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  shard.entries.erase(std::string(key));
}

std::size_t WindowLimiter::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.entries.size();
  }
  return n;
}

}  // namespace gh
