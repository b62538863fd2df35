#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/settings.hpp"

namespace gh::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string error_of(const std::string& url) {
  try {
    parse_redis_url(url);
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "REDIS_URL");
    return e.what();
  }
  ADD_FAILURE() << "accepted " << url;
  return {};
}

TEST(RedisUrl, HostPortAndDatabase) {
  const RedisUrl r = parse_redis_url("redis://cache.internal:6380/3");
  EXPECT_EQ(r.host, "cache.internal");
  EXPECT_EQ(r.port, 6380);
  EXPECT_EQ(r.db, 3);
  EXPECT_EQ(r.password, "");
}

TEST(RedisUrl, Defaults) {
  const RedisUrl r = parse_redis_url("redis://127.0.0.1");
  EXPECT_EQ(r.host, "127.0.0.1");
  EXPECT_EQ(r.port, 6379);
  EXPECT_EQ(r.db, 0);
  EXPECT_EQ(parse_redis_url("redis://h/").db, 0);
}

TEST(RedisUrl, PasswordAndUser) {
  const RedisUrl r = parse_redis_url("redis://:s%40cret@cache:6379/0");
  EXPECT_EQ(r.user, "");
  EXPECT_EQ(r.password, "s@cret");
  const RedisUrl u = parse_redis_url("redis://app:pw@cache");
  EXPECT_EQ(u.user, "app");
  EXPECT_EQ(u.password, "pw");
}

TEST(RedisUrl, RefusesWhatItCannotUse) {
  for (const char* bad :
       {"http://cache:6379", "redis://", "redis://cache:0", "redis://cache:70000",
        "redis://cache/x", "redis://cache/-1", "redis://cache/0?timeout=1", "rediss://cache"}) {
    EXPECT_FALSE(error_of(bad).empty()) << bad;
  }
}

TEST(RedisUrl, ErrorsNeverShowThePassword) {
  EXPECT_THAT(error_of("redis://:hunter2@cache:99999"), Not(HasSubstr("hunter2")));
  EXPECT_THAT(error_of("redis://:hunter2@cache/abc"), Not(HasSubstr("hunter2")));
}

TEST(RedisUrl, SettingsParseItAndTheFallbackChoice) {
  Environment env{{"SECRET_KEY", std::string(40, 'k')},
                  {"SECRET_KEY_FILE", "unused-secret-file"},
                  {"REDIS_URL", "redis://cache:6379/1"},
                  {"REDIS_FAIL_OPEN", "false"},
                  {"REDIS_TIMEOUT_MS", "100"}};
  const Settings s = load_settings(env);
  ASSERT_TRUE(s.redis.has_value());
  EXPECT_EQ(s.redis->host, "cache");
  EXPECT_EQ(s.redis->db, 1);
  EXPECT_FALSE(s.redis_fail_open);
  EXPECT_EQ(s.redis_timeout_ms, 100);
  EXPECT_FALSE(load_settings({{"SECRET_KEY", std::string(40, 'k')}}).redis.has_value());
  EXPECT_TRUE(load_settings({{"SECRET_KEY", std::string(40, 'k')}}).redis_fail_open);
}

}  // namespace
}  // namespace gh::config
