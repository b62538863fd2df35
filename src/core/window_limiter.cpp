#include "core/window_limiter.hpp"

#include <algorithm>
#include <functional>

namespace gh {
namespace {

std::int64_t ceil_seconds(std::int64_t micros) {
  return (std::max<std::int64_t>(0, micros) + 999'999) / 1'000'000;
}

}  // namespace

WindowLimiter::WindowLimiter(int limit, int window_seconds, std::size_t max_keys)
    : limit_(std::max(1, limit)),
      window_(static_cast<std::int64_t>(std::max(1, window_seconds)) * 1'000'000),
      interval_(std::max<std::int64_t>(1, window_ / limit_)),
      max_keys_per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

WindowLimiter::Shard& WindowLimiter::shard_for(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

void WindowLimiter::make_room(Shard& shard, std::int64_t now) {
  // A key whose arrival time has passed has its whole quota: forgetting it changes nothing.
  std::erase_if(shard.tats, [&](const auto& kv) { return kv.second <= now; });
  shard.hits_since_sweep = 0;
  if (shard.tats.size() < max_keys_per_shard_) return;
  auto closest = std::min_element(shard.tats.begin(), shard.tats.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
  shard.tats.erase(closest);
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
  if (++shard.hits_since_sweep >= 4096 || shard.tats.size() >= max_keys_per_shard_)
    make_room(shard, now);
  auto it = shard.tats.find(std::string(key));
  const std::int64_t tat = it == shard.tats.end() ? now : std::max(it->second, now);
  const std::int64_t next_tat = tat + interval_;
  Decision d;
  d.limit = limit_;
  if (next_tat - now > window_) {
    d.allowed = false;
    d.reset_seconds = ceil_seconds(tat - now);
    d.retry_after_seconds = std::max<std::int64_t>(1, ceil_seconds(next_tat - window_ - now));
    return d;
  }
  const std::int64_t after = count ? next_tat : tat;
  if (count) {
    if (it == shard.tats.end())
      shard.tats.emplace(std::string(key), next_tat);
    else
      it->second = next_tat;
  }
  d.remaining =
      static_cast<int>(std::min<std::int64_t>(limit_, (now + window_ - after) / interval_));
  d.reset_seconds = ceil_seconds(after - now);
  return d;
}

void WindowLimiter::reset(std::string_view key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  shard.tats.erase(std::string(key));
}

void WindowLimiter::give_back(std::string_view key, std::int64_t now) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  const auto it = shard.tats.find(std::string(key));
  if (it == shard.tats.end()) return;
  it->second -= interval_;
  if (it->second <= now) shard.tats.erase(it);  // the whole quota is back
}

std::size_t WindowLimiter::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.tats.size();
  }
  return n;
}

}  // namespace gh
