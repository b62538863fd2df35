#include "redis/shared_limiter.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "core/api_error.hpp"
#include "core/log.hpp"

namespace gh::redis {
namespace {

// GCRA in one step. KEYS[1]: the key's theoretical arrival time (TAT, microseconds).
// ARGV: limit, window (microseconds), 1 to count the event or 0 to only look.
// Returns {allowed, TAT after this event - now, retry after (microseconds)}. Always EVAL,
// never EVALSHA: Redis caches the compiled script by its hash anyway, and a Redis that
// restarted empty needs no NOSCRIPT dance.
constexpr const char* kGcraScript = R"lua(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = math.max(1, math.floor(window / limit))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local next_tat = tat + interval
if next_tat - now > window then
  return {0, tat - now, next_tat - window - now}
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX',
             math.max(1, math.ceil((next_tat - now) / 1000)))
  return {1, next_tat - now, 0}
end
return {1, tat - now, 0}
)lua";

// One counted event uncounted, in one step. KEYS[1] as above; ARGV: limit, window.
constexpr const char* kGiveBackScript = R"lua(
local interval = math.max(1, math.floor(tonumber(ARGV[2]) / tonumber(ARGV[1])))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat then return 0 end
tat = tat - interval
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX',
             math.max(1, math.ceil((tat - now) / 1000)))
end
return 1
)lua";

// Redis answered, and refused: a replica after a failover (READONLY), a script Redis cannot
// run. Limits then fall back just as for an outage, but Redis still answers PING, so
// nothing else would say so: one warning a minute, with Redis's words.
void warn_refused(const std::string& prefix, const std::string& detail) {
  static std::atomic<std::int64_t> last{0};
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  std::int64_t seen = last.load(std::memory_order_relaxed);
  if (seen != 0 && now - seen < 60) return;
  if (!last.compare_exchange_strong(seen, now)) return;  // another thread warned just now
  log::warn("redis_script_refused", {{"limiter", std::string_view(prefix)},
                                     {"detail", std::string_view(detail).substr(0, 200)}});
}

std::int64_t ceil_seconds(std::int64_t micros) {
  return (std::max<std::int64_t>(0, micros) + 999'999) / 1'000'000;
}

bool well_formed(const Reply& r) {
  return r.type == Reply::Type::array && r.elements.size() == 3 &&
         std::all_of(r.elements.begin(), r.elements.end(),
                     [](const Reply& e) { return e.type == Reply::Type::integer; });
}

}  // namespace

SharedRateLimiter::SharedRateLimiter(Client& client, std::string name, int limit,
                                     int window_seconds, bool fail_open, const Clock& clock)
    : client_(client),
      prefix_("gatehouse:" + name + ":"),
      limit_(std::max(1, limit)),
      window_(static_cast<std::int64_t>(std::max(1, window_seconds)) * 1'000'000),
      fail_open_(fail_open),
      fallback_(limit, window_seconds, clock) {}

std::string SharedRateLimiter::redis_key(const std::string& key) const {
  return prefix_ + key;
}

boost::asio::awaitable<RateLimiter::Decision> SharedRateLimiter::decide(std::string key,
                                                                        bool count) {
  auto reply =
      co_await client_.command({"EVAL", kGcraScript, "1", redis_key(key), std::to_string(limit_),
                                std::to_string(window_), count ? "1" : "0"});
  if (reply && reply->type == Reply::Type::error) warn_refused(prefix_, reply->str);
  if (!reply || !well_formed(*reply)) {
    if (!fail_open_) throw ApiError(ErrorCode::rate_limit_unavailable);
    if (count) co_return co_await fallback_.hit(std::move(key));
    co_return co_await fallback_.peek(std::move(key));
  }
  const std::int64_t interval = std::max<std::int64_t>(1, window_ / limit_);
  const std::int64_t ahead = reply->elements[1].integer;  // TAT - now
  Decision d;
  d.limit = limit_;
  d.allowed = reply->elements[0].integer == 1;
  d.reset_seconds = ceil_seconds(ahead);
  if (d.allowed) {
    d.remaining = static_cast<int>(std::min<std::int64_t>(limit_, (window_ - ahead) / interval));
  } else {
    d.retry_after_seconds = std::max<std::int64_t>(1, ceil_seconds(reply->elements[2].integer));
  }
  co_return d;
}

boost::asio::awaitable<RateLimiter::Decision> SharedRateLimiter::hit(std::string key) {
  co_return co_await decide(std::move(key), true);
}

boost::asio::awaitable<RateLimiter::Decision> SharedRateLimiter::peek(std::string key) {
  co_return co_await decide(std::move(key), false);
}

boost::asio::awaitable<void> SharedRateLimiter::give_back(std::string key) {
  // Both places, as for reset: the event may have been counted in the process.
  co_await fallback_.give_back(key);
  auto reply = co_await client_.command({"EVAL", kGiveBackScript, "1", redis_key(key),
                                         std::to_string(limit_), std::to_string(window_)});
  if (reply && reply->type == Reply::Type::error) warn_refused(prefix_, reply->str);
}

boost::asio::awaitable<void> SharedRateLimiter::reset(std::string key) {
  // Both places: a key counted in the process during an outage must not outlive a reset.
  co_await fallback_.reset(key);
  co_await client_.command({"DEL", redis_key(key)});
}

}  // namespace gh::redis
