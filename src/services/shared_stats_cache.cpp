#include "services/shared_stats_cache.hpp"

#include <charconv>
#include <string_view>

namespace gh::services {
namespace {

const std::string kValueKey = "gatehouse:stats";
const std::string kGenerationKey = "gatehouse:stats:generation";

constexpr const char* kGetScript = R"lua(
return {redis.call('GET', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
)lua";

constexpr const char* kPutScript = R"lua(
if tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
)lua";

constexpr const char* kInvalidateScript = R"lua(
redis.call('DEL', KEYS[1])
return redis.call('INCR', KEYS[2])
)lua";

std::string encode(const models::UserCounts& c) {
  return std::to_string(c.total) + ' ' + std::to_string(c.active) + ' ' + std::to_string(c.admins);
}

// Three numbers separated by spaces; anything else is treated as a miss.
std::optional<models::UserCounts> decode(std::string_view text) {
  std::int64_t v[3];
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (p == end || *p != ' ') return std::nullopt;
      ++p;
    }
    auto [next, ec] = std::from_chars(p, end, v[i]);
    if (ec != std::errc()) return std::nullopt;
    p = next;
  }
  if (p != end) return std::nullopt;
  return models::UserCounts{v[0], v[1], v[2]};
}

}  // namespace

boost::asio::awaitable<StatsCache::Lookup> SharedStatsCache::get() {
  if (ttl_millis_ == 0) co_return Lookup{};
  auto reply = co_await client_.command({"EVAL", kGetScript, "2", kValueKey, kGenerationKey});
  const bool ok = reply && reply->type == redis::Reply::Type::array &&
                  reply->elements.size() == 2 &&
                  reply->elements[1].type == redis::Reply::Type::integer;
  if (!ok) co_return local_.lookup();
  Lookup l;
  l.shared = true;
  l.generation = reply->elements[1].integer;
  if (reply->elements[0].type == redis::Reply::Type::string)
    l.counts = decode(reply->elements[0].str);
  co_return l;
}

boost::asio::awaitable<void> SharedStatsCache::put(models::UserCounts counts, Lookup seen) {
  if (ttl_millis_ == 0) co_return;
  if (!seen.shared) {
    local_.store(counts, seen.generation);
    co_return;
  }
  co_await client_.command({"EVAL", kPutScript, "2", kValueKey, kGenerationKey,
                            std::to_string(seen.generation), encode(counts),
                            std::to_string(ttl_millis_)});
}

boost::asio::awaitable<void> SharedStatsCache::invalidate() {
  local_.drop();
  co_await client_.command({"EVAL", kInvalidateScript, "2", kValueKey, kGenerationKey});
}

}  // namespace gh::services
