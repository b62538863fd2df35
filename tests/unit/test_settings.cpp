#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "config/settings.hpp"

namespace gh::config {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kGoodKey = "k3Y_for-tests_0123456789abcdefghijklmnopqrstuvwxyz";

// Every test gets its own directory, so the development key file never lands in the
// working directory and tests cannot see each other's keys.
class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gh-settings-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    key_file_ = (dir_ / "secret").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Settings load(Environment env) const {
    env.emplace("SECRET_KEY_FILE", key_file_);
    return load_settings(env);
  }

  // The error for `env`, checked to name `setting`.
  std::string error(Environment env, const std::string& setting) const {
    try {
      load(std::move(env));
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.setting(), setting) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "no error for " << setting;
    return {};
  }

  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
  std::string key_file_;
};

unsigned expected_cores() {
  return std::clamp(std::thread::hardware_concurrency(), 1u, 1024u);
}

TEST_F(SettingsTest, Defaults) {
  const Settings s = load({{"SECRET_KEY", kGoodKey}});
  EXPECT_EQ(s.environment, "development");
  EXPECT_FALSE(s.production());
  EXPECT_EQ(s.database_url, "sqlite:///gatehouse.db");
  EXPECT_EQ(s.database.kind, DatabaseUrl::Kind::sqlite);
  EXPECT_EQ(s.database.path, "gatehouse.db");
  EXPECT_EQ(s.secret_key, kGoodKey);
  EXPECT_EQ(s.host, "127.0.0.1");
  EXPECT_EQ(s.port, 8000);
  EXPECT_EQ(s.threads, expected_cores());
  EXPECT_EQ(s.access_token_expire_minutes, 15);
  EXPECT_EQ(s.refresh_token_expire_days, 7);
  EXPECT_THAT(s.allowed_origins, ElementsAre("http://localhost:3000"));
  EXPECT_EQ(s.rate_limit_requests, 100);
  EXPECT_EQ(s.rate_limit_window_seconds, 60);
  EXPECT_EQ(s.redis_url, "");
  EXPECT_EQ(s.db_pool_size, 20);
  EXPECT_EQ(s.db_max_overflow, 10);
  EXPECT_EQ(s.db_pool_recycle_seconds, 300);
  EXPECT_TRUE(s.db_pool_pre_ping);
  EXPECT_TRUE(s.trusted_proxies.empty());
  EXPECT_EQ(s.log_level, "info");
  EXPECT_EQ(s.log_format, "json");
  EXPECT_EQ(s.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(s.password_hash_threads, expected_cores());
  EXPECT_EQ(s.password_hash_queue, 64u);
  EXPECT_EQ(s.db_threads, 2u);
  EXPECT_EQ(s.login_max_failures, 5);
  EXPECT_EQ(s.login_failure_window_seconds, 900);
  EXPECT_EQ(s.stats_cache_seconds, 10);
  EXPECT_EQ(s.session_retention_days, 30);
  EXPECT_EQ(s.session_purge_interval_seconds, 300);
}

TEST_F(SettingsTest, EveryVariableIsRead) {
  const Settings s = load({{"SECRET_KEY", kGoodKey},
                           {"DATABASE_URL", "postgresql+asyncpg://u:p@db:5432/app"},
                           {"HOST", "0.0.0.0"},
                           {"PORT", "9000"},
                           {"THREADS", "3"},
                           {"ACCESS_TOKEN_EXPIRE_MINUTES", "30"},
                           {"REFRESH_TOKEN_EXPIRE_DAYS", "14"},
                           {"ALLOWED_ORIGINS", "https://a.example"},
                           {"RATE_LIMIT_REQUESTS", "0"},
                           {"RATE_LIMIT_WINDOW_SECONDS", "10"},
                           {"REDIS_URL", "redis://:pw@cache:6379/0"},
                           {"DB_POOL_SIZE", "5"},
                           {"DB_MAX_OVERFLOW", "0"},
                           {"DB_POOL_RECYCLE_SECONDS", "0"},
                           {"DB_POOL_PRE_PING", "No"},
                           {"TRUSTED_PROXIES", "10.0.0.1"},
                           {"LOG_LEVEL", "DEBUG"},
                           {"LOG_FORMAT", "text"},
                           {"MAX_BODY_BYTES", "2048"},
                           {"PASSWORD_HASH_THREADS", "4"},
                           {"PASSWORD_HASH_QUEUE", "8"},
                           {"DB_THREADS", "6"},
                           {"LOGIN_MAX_FAILURES", "3"},
                           {"LOGIN_FAILURE_WINDOW_SECONDS", "60"},
                           {"STATS_CACHE_SECONDS", "0"},
                           {"SESSION_RETENTION_DAYS", "0"},
                           {"SESSION_PURGE_INTERVAL_SECONDS", "60"}});
  EXPECT_EQ(s.database.kind, DatabaseUrl::Kind::postgres);
  EXPECT_EQ(s.database.conninfo, "postgresql://u:p@db:5432/app");
  EXPECT_EQ(s.host, "0.0.0.0");
  EXPECT_EQ(s.port, 9000);
  EXPECT_EQ(s.threads, 3u);
  EXPECT_EQ(s.access_token_expire_minutes, 30);
  EXPECT_EQ(s.refresh_token_expire_days, 14);
  EXPECT_THAT(s.allowed_origins, ElementsAre("https://a.example"));
  EXPECT_EQ(s.rate_limit_requests, 0);
  EXPECT_EQ(s.rate_limit_window_seconds, 10);
  EXPECT_EQ(s.redis_url, "redis://:pw@cache:6379/0");
  EXPECT_EQ(s.db_pool_size, 5);
  EXPECT_EQ(s.db_max_overflow, 0);
  EXPECT_EQ(s.db_pool_recycle_seconds, 0);
  EXPECT_FALSE(s.db_pool_pre_ping);
  EXPECT_THAT(s.trusted_proxies, ElementsAre("10.0.0.1"));
  EXPECT_EQ(s.log_level, "debug");
  EXPECT_EQ(s.log_format, "text");
  EXPECT_EQ(s.max_body_bytes, 2048u);
  EXPECT_EQ(s.password_hash_threads, 4u);
  EXPECT_EQ(s.password_hash_queue, 8u);
  EXPECT_EQ(s.db_threads, 6u);
  EXPECT_EQ(s.login_max_failures, 3);
  EXPECT_EQ(s.login_failure_window_seconds, 60);
  EXPECT_EQ(s.stats_cache_seconds, 0);
  EXPECT_EQ(s.session_retention_days, 0);
  EXPECT_EQ(s.session_purge_interval_seconds, 60);
}

TEST_F(SettingsTest, IntegerErrorSaysWhatIsExpected) {
  EXPECT_EQ(error({{"PORT", "abc"}}, "PORT"),
            "PORT: expected an integer from 1 to 65535, got \"abc\"");
}

struct IntegerRange {
  const char* name;
  long long min;
  long long max;
};

class IntegerSetting : public SettingsTest, public ::testing::WithParamInterface<IntegerRange> {};

TEST_P(IntegerSetting, BoundsAccepted) {
  const IntegerRange range = GetParam();
  for (const long long value : {range.min, range.max}) {
    EXPECT_NO_THROW(load({{"SECRET_KEY", kGoodKey}, {range.name, std::to_string(value)}}))
        << range.name << "=" << value;
  }
}

TEST_P(IntegerSetting, OutOfRangeAndMalformedRefused) {
  const IntegerRange range = GetParam();
  std::vector<std::string> bad = {"",    "abc", "-1",  "+1", " 1",   "1 ",
                                  "1.0", "0x1", "1e3", "١",  "1abc", "99999999999999999999999"};
  bad.push_back(std::to_string(range.max + 1));
  if (range.min > 0) bad.push_back(std::to_string(range.min - 1));
  for (const std::string& value : bad) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {range.name, value}}, range.name),
                HasSubstr("expected an integer from " + std::to_string(range.min) + " to " +
                          std::to_string(range.max)))
        << range.name << "=" << value;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Settings, IntegerSetting,
    ::testing::Values(
        IntegerRange{"PORT", 1, 65535}, IntegerRange{"THREADS", 1, 1024},
        IntegerRange{"ACCESS_TOKEN_EXPIRE_MINUTES", 1, 1440},
        IntegerRange{"REFRESH_TOKEN_EXPIRE_DAYS", 1, 365},
        IntegerRange{"RATE_LIMIT_REQUESTS", 0, 1000000},
        IntegerRange{"RATE_LIMIT_WINDOW_SECONDS", 1, 86400}, IntegerRange{"DB_POOL_SIZE", 1, 1000},
        IntegerRange{"DB_MAX_OVERFLOW", 0, 1000},
        IntegerRange{"DB_POOL_RECYCLE_SECONDS", 0, 2147483647},
        IntegerRange{"MAX_BODY_BYTES", 1, 1073741824},
        IntegerRange{"PASSWORD_HASH_THREADS", 1, 1024},
        IntegerRange{"PASSWORD_HASH_QUEUE", 1, 100000}, IntegerRange{"DB_THREADS", 1, 256},
        IntegerRange{"LOGIN_MAX_FAILURES", 1, 1000},
        IntegerRange{"LOGIN_FAILURE_WINDOW_SECONDS", 1, 86400},
        IntegerRange{"STATS_CACHE_SECONDS", 0, 3600},
        IntegerRange{"SESSION_RETENTION_DAYS", 0, 3650},
        IntegerRange{"SESSION_PURGE_INTERVAL_SECONDS", 0, 86400},
        IntegerRange{"MAX_HEADER_BYTES", 1024, 1048576},
        IntegerRange{"HEADER_TIMEOUT_SECONDS", 1, 3600},
        IntegerRange{"BODY_TIMEOUT_SECONDS", 1, 3600},
        IntegerRange{"KEEPALIVE_TIMEOUT_SECONDS", 1, 3600},
        IntegerRange{"MAX_CONNECTIONS", 1, 1000000},
        IntegerRange{"LOGIN_MAX_FAILURES_PER_ADDRESS", 1, 1000000},
        IntegerRange{"ARGON2_MEMORY_KIB", 8, 4194304}, IntegerRange{"ARGON2_ITERATIONS", 1, 100},
        IntegerRange{"JWT_LEEWAY_SECONDS", 0, 300},
        IntegerRange{"HSTS_MAX_AGE_SECONDS", 0, 63072000},
        IntegerRange{"KEYS_REFRESH_SECONDS", 1, 3600},
        IntegerRange{"KEY_PROPAGATION_SECONDS", 0, 2592000}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(SettingsTest, JwtAlgorithmIsSpelledAsJwsSpellsIt) {
  const Settings plain = load({{"SECRET_KEY", kGoodKey}});
  EXPECT_EQ(plain.jwt_algorithm, "HS256");
  EXPECT_FALSE(plain.asymmetric_tokens());
  EXPECT_EQ(plain.keys_refresh_seconds, 10);
  EXPECT_EQ(plain.key_propagation_seconds, 600);
  for (const auto& [given, read] : std::vector<std::pair<std::string, std::string>>{
           {"EdDSA", "EdDSA"}, {"eddsa", "EdDSA"}, {"ES256", "ES256"}, {"hs256", "HS256"}}) {
    const Settings s = load({{"SECRET_KEY", kGoodKey}, {"JWT_ALGORITHM", given}});
    EXPECT_EQ(s.jwt_algorithm, read) << given;
    EXPECT_EQ(s.asymmetric_tokens(), read != "HS256") << given;
  }
  for (const char* bad : {"RS256", "none", "Ed25519", ""}) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"JWT_ALGORITHM", bad}}, "JWT_ALGORITHM"),
                HasSubstr("expected one of hs256, eddsa, es256"))
        << bad;
  }
}

TEST_F(SettingsTest, PublicUrlIsAnAbsoluteHttpUrlWithoutItsTrailingSlash) {
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"PORT", "8123"}}).public_url, "http://localhost:8123");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"PUBLIC_URL", " https://id.example.com/auth// "}})
                .public_url,
            "https://id.example.com/auth");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"PUBLIC_URL", "http://10.0.0.1:8000"}}).public_url,
            "http://10.0.0.1:8000");
  for (const char* bad : {"id.example.com", "ftp://id.example.com", "https://", "https:///",
                          "https://id.example.com/?next=x", "https://id.example.com/#top",
                          "https://id example.com", ""}) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"PUBLIC_URL", bad}}, "PUBLIC_URL"),
                HasSubstr("expected an http:// or https:// URL"))
        << bad;
  }
}

TEST_F(SettingsTest, Environment) {
  EXPECT_TRUE(load({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}}).production());
  EXPECT_TRUE(load({{"ENVIRONMENT", "Production"}, {"SECRET_KEY", kGoodKey}}).production());
  EXPECT_FALSE(load({{"ENVIRONMENT", "development"}, {"SECRET_KEY", kGoodKey}}).production());
  for (const char* bad : {"prod", "staging", "", "test"}) {
    EXPECT_THAT(error({{"ENVIRONMENT", bad}}, "ENVIRONMENT"),
                HasSubstr("expected one of development, production"));
  }
}

TEST_F(SettingsTest, Booleans) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "Yes"}) {
    EXPECT_TRUE(load({{"SECRET_KEY", kGoodKey}, {"DB_POOL_PRE_PING", yes}}).db_pool_pre_ping);
  }
  for (const char* no : {"false", "False", "0", "no", "NO"}) {
    EXPECT_FALSE(load({{"SECRET_KEY", kGoodKey}, {"DB_POOL_PRE_PING", no}}).db_pool_pre_ping);
  }
  for (const char* bad : {"", "2", "on", "truthy"}) {
    EXPECT_THAT(error({{"DB_POOL_PRE_PING", bad}}, "DB_POOL_PRE_PING"), HasSubstr("expected"));
  }
}

TEST_F(SettingsTest, LogLevelAndFormat) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "off"}) {
    EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"LOG_LEVEL", level}}).log_level, level);
  }
  // The names Python's logging and uvicorn users write.
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"LOG_LEVEL", "warning"}}).log_level, "warn");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"LOG_LEVEL", "WARNING"}}).log_level, "warn");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"LOG_LEVEL", "critical"}}).log_level, "error");
  EXPECT_THAT(error({{"LOG_LEVEL", "verbose"}}, "LOG_LEVEL"), HasSubstr("\"verbose\""));
  EXPECT_THAT(error({{"LOG_FORMAT", "xml"}}, "LOG_FORMAT"), HasSubstr("json, text"));
}

TEST_F(SettingsTest, HostMustBeGiven) {
  error({{"HOST", ""}}, "HOST");
  error({{"HOST", "local host"}}, "HOST");
}

TEST_F(SettingsTest, HostIsAnAddressToListenOn) {
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"HOST", "localhost"}}).host, "127.0.0.1");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"HOST", "[::1]"}}).host, "::1");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"HOST", "10.1.2.3"}}).host, "10.1.2.3");
  // A name would be looked up at bind time, and fail there: refused here, naming HOST.
  EXPECT_THAT(error({{"HOST", "gatehouse.internal"}}, "HOST"), HasSubstr("IP address"));
  error({{"HOST", "300.1.2.3"}}, "HOST");
}

TEST_F(SettingsTest, OriginsAsJsonList) {
  const Settings s =
      load({{"SECRET_KEY", kGoodKey},
            {"ALLOWED_ORIGINS", R"([ "https://example.com", " http://x.test:8080 "])"}});
  EXPECT_THAT(s.allowed_origins, ElementsAre("https://example.com", "http://x.test:8080"));
}

TEST_F(SettingsTest, OriginsAsCommaList) {
  const Settings s =
      load({{"SECRET_KEY", kGoodKey},
            {"ALLOWED_ORIGINS", " https://example.com , HTTP://LOCALHOST:3000,, http://[::1]:80"}});
  EXPECT_THAT(s.allowed_origins,
              ElementsAre("https://example.com", "http://localhost:3000", "http://[::1]:80"));
}

TEST_F(SettingsTest, OriginsMayBeEmpty) {
  EXPECT_TRUE(load({{"SECRET_KEY", kGoodKey}, {"ALLOWED_ORIGINS", "[]"}}).allowed_origins.empty());
  EXPECT_TRUE(load({{"SECRET_KEY", kGoodKey}, {"ALLOWED_ORIGINS", ""}}).allowed_origins.empty());
}

TEST_F(SettingsTest, WildcardOriginOnlyInDevelopment) {
  EXPECT_THAT(load({{"SECRET_KEY", kGoodKey}, {"ALLOWED_ORIGINS", R"(["*"])"}}).allowed_origins,
              ElementsAre("*"));
  EXPECT_THAT(error({{"ENVIRONMENT", "production"},
                     {"SECRET_KEY", kGoodKey},
                     {"ALLOWED_ORIGINS", R"(["*"])"}},
                    "ALLOWED_ORIGINS"),
              HasSubstr("production"));
}

TEST_F(SettingsTest, BadOriginsRefused) {
  for (const char* bad :
       {"example.com", "https://example.com/", "https://example.com/path", "localhost:3000",
        "https://user@example.com", "https://example.com?x=1", "https://example.com#top",
        "https://example.com:0", "https://example.com:99999", "https://example.com:", "https://",
        "https:example.com", R"([1, 2])", R"(["https://a.test")", R"({"a": "https://a.test"})",
        R"(["https://a.test", ""])", "https://a b.test"}) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"ALLOWED_ORIGINS", bad}}, "ALLOWED_ORIGINS"),
                HasSubstr("expected"))
        << bad;
  }
}

TEST_F(SettingsTest, TrustedProxies) {
  EXPECT_THAT(load({{"SECRET_KEY", kGoodKey}, {"TRUSTED_PROXIES", R"(["10.0.0.1", "::1"])"}})
                  .trusted_proxies,
              ElementsAre("10.0.0.1", "::1"));
  EXPECT_THAT(load({{"SECRET_KEY", kGoodKey}, {"TRUSTED_PROXIES", "127.0.0.1, 2001:DB8:0::1"}})
                  .trusted_proxies,
              ElementsAre("127.0.0.1", "2001:db8::1"));
  for (const char* bad : {"10.0.0.0/33", "proxy.local", "999.1.1.1", "1.2.3", R"([1])"}) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"TRUSTED_PROXIES", bad}}, "TRUSTED_PROXIES"),
                HasSubstr("expected"))
        << bad;
  }
}

TEST_F(SettingsTest, RedisUrl) {
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"REDIS_URL", ""}}).redis_url, "");
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"REDIS_URL", "redis://localhost:6379/0"}}).redis_url,
            "redis://localhost:6379/0");
  const std::string message =
      error({{"SECRET_KEY", kGoodKey}, {"REDIS_URL", "http://:hunter2@cache"}}, "REDIS_URL");
  EXPECT_THAT(message, Not(HasSubstr("hunter2")));
}

TEST_F(SettingsTest, DatabaseUrlErrorsNameTheSetting) {
  const std::string message = error(
      {{"SECRET_KEY", kGoodKey}, {"DATABASE_URL", "mysql://root:hunter2@db/app"}}, "DATABASE_URL");
  EXPECT_THAT(message, Not(HasSubstr("hunter2")));
}

TEST_F(SettingsTest, ProductionAcceptsAStrongKey) {
  const Settings s = load({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}});
  EXPECT_EQ(s.secret_key, kGoodKey);
  EXPECT_FALSE(fs::exists(key_file_));
}

TEST_F(SettingsTest, ProductionRequiresAKey) {
  EXPECT_THAT(error({{"ENVIRONMENT", "production"}}, "SECRET_KEY"), HasSubstr("required"));
  EXPECT_THAT(error({{"ENVIRONMENT", "production"}, {"SECRET_KEY", ""}}, "SECRET_KEY"),
              HasSubstr("required"));
  EXPECT_FALSE(fs::exists(key_file_));
}

TEST_F(SettingsTest, ProductionIgnoresTheKeyFile) {
  std::ofstream(key_file_) << kGoodKey << "\n";
  error({{"ENVIRONMENT", "production"}}, "SECRET_KEY");
}

TEST_F(SettingsTest, ProductionRefusesShortKeys) {
  const std::string short_key = "Zq8vR2nL5xW1tY7uK3pM9sD4fG6hJ0c";  // 31 bytes
  const std::string message =
      error({{"ENVIRONMENT", "production"}, {"SECRET_KEY", short_key}}, "SECRET_KEY");
  EXPECT_THAT(message, HasSubstr("32 bytes"));
  EXPECT_THAT(message, Not(HasSubstr(short_key)));
}

class PlaceholderKey : public SettingsTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(PlaceholderKey, RefusedInProductionWithoutEchoingIt) {
  const std::string key = GetParam();
  const std::string message =
      error({{"ENVIRONMENT", "production"}, {"SECRET_KEY", key}}, "SECRET_KEY");
  EXPECT_THAT(message, Not(HasSubstr(key)));
}

TEST_P(PlaceholderKey, AcceptedInDevelopment) {
  EXPECT_EQ(load({{"SECRET_KEY", GetParam()}}).secret_key, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Settings, PlaceholderKey,
                         ::testing::Values("change-me-in-production", "your-256-bit-secret-here",
                                           "secret", "changeme", "change-me", "please-change-me",
                                           "CHANGE-ME-IN-PRODUCTION-0123456789abcdef",
                                           "your-secret-key-goes-here-0123456789abcdef",
                                           "Change-Me-please-this-is-long-enough-now",
                                           "please-changeme-0123456789abcdefghijklmnop",
                                           "your_super_secret_jwt_signing_key_here_0000",
                                           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                           "                                        "));

TEST_F(SettingsTest, DevelopmentAcceptsAShortKey) {
  EXPECT_EQ(load({{"SECRET_KEY", "short"}}).secret_key, "short");
  EXPECT_FALSE(fs::exists(key_file_));
}

TEST_F(SettingsTest, DevelopmentGeneratesAndKeepsAKey) {
  const std::string key = load({}).secret_key;
  EXPECT_EQ(key.size(), 64u);  // 48 bytes, base64url without padding
  EXPECT_EQ(
      key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(read(key_file_), key + "\n");

  struct stat info {};
  ASSERT_EQ(::stat(key_file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  EXPECT_EQ(load({}).secret_key, key);
  EXPECT_EQ(load({{"SECRET_KEY", ""}}).secret_key, key);
  // Only the key file: no temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(SettingsTest, DevelopmentKeysDifferPerFile) {
  const std::string first = load({}).secret_key;
  fs::remove(key_file_);
  EXPECT_NE(load({}).secret_key, first);
}

TEST_F(SettingsTest, DevelopmentReadsAnExistingKeyFile) {
  std::ofstream(key_file_) << "  kept-key-from-last-run\n";
  EXPECT_EQ(load({}).secret_key, "kept-key-from-last-run");
}

TEST_F(SettingsTest, DevelopmentGivenKeyWinsOverTheFile) {
  std::ofstream(key_file_) << "from-file\n";
  EXPECT_EQ(load({{"SECRET_KEY", "from-env"}}).secret_key, "from-env");
}

TEST_F(SettingsTest, EmptyKeyFileIsAnError) {
  std::ofstream(key_file_) << "\n";
  error({}, "SECRET_KEY_FILE");
}

TEST_F(SettingsTest, UnwritableKeyFileIsAnError) {
  key_file_ = (dir_ / "missing-dir" / "secret").string();
  EXPECT_THAT(error({}, "SECRET_KEY_FILE"), HasSubstr("missing-dir"));
}

TEST_F(SettingsTest, NoKeyFileWhenAnotherSettingIsBad) {
  error({{"PORT", "0"}}, "PORT");
  EXPECT_FALSE(fs::exists(key_file_));
}

TEST_F(SettingsTest, HardeningDefaults) {
  const Settings s = load({{"SECRET_KEY", kGoodKey}});
  EXPECT_EQ(s.max_header_bytes, 16u * 1024u);
  EXPECT_EQ(s.header_timeout_seconds, 10);
  EXPECT_EQ(s.body_timeout_seconds, 30);
  EXPECT_EQ(s.keepalive_timeout_seconds, 30);
  EXPECT_EQ(s.max_connections, 10000u);
  EXPECT_EQ(s.login_max_failures_per_address, 50);
  EXPECT_EQ(s.argon2_memory_kib, 19456u);
  EXPECT_EQ(s.argon2_iterations, 2u);
  EXPECT_EQ(s.jwt_issuer, "");
  EXPECT_EQ(s.jwt_audience, "");
  EXPECT_EQ(s.jwt_leeway_seconds, 10);
  EXPECT_EQ(s.hsts_max_age_seconds, 0);
  EXPECT_TRUE(s.warnings.empty());
}

TEST_F(SettingsTest, IssuerAndAudienceAreRead) {
  const Settings s =
      load({{"SECRET_KEY", kGoodKey}, {"JWT_ISSUER", "https://auth"}, {"JWT_AUDIENCE", "api"}});
  EXPECT_EQ(s.jwt_issuer, "https://auth");
  EXPECT_EQ(s.jwt_audience, "api");
}

TEST_F(SettingsTest, ProductionOnEveryInterfaceNeedsATrustedProxiesDecision) {
  for (const char* host : {"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"}) {
    EXPECT_THAT(error({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}, {"HOST", host}},
                      "TRUSTED_PROXIES"),
                HasSubstr("none"))
        << host;
  }
  const Settings direct = load({{"ENVIRONMENT", "production"},
                                {"SECRET_KEY", kGoodKey},
                                {"HOST", "0.0.0.0"},
                                {"TRUSTED_PROXIES", "none"}});
  EXPECT_TRUE(direct.trusted_proxies.empty());
  const Settings proxied = load({{"ENVIRONMENT", "production"},
                                 {"SECRET_KEY", kGoodKey},
                                 {"HOST", "::"},
                                 {"TRUSTED_PROXIES", "10.0.0.1"}});
  EXPECT_THAT(proxied.trusted_proxies, ElementsAre("10.0.0.1"));
  // A single interface, or development, needs no decision.
  EXPECT_NO_THROW(
      load({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}, {"HOST", "10.1.2.3"}}));
  EXPECT_NO_THROW(load({{"SECRET_KEY", kGoodKey}, {"HOST", "0.0.0.0"}}));
}

TEST_F(SettingsTest, WeakButAllowedSettingsAreWarnedAbout) {
  const Settings weak = load({{"ENVIRONMENT", "production"},
                              {"SECRET_KEY", kGoodKey},
                              {"ARGON2_MEMORY_KIB", "8192"},
                              {"ARGON2_ITERATIONS", "2"}});
  ASSERT_EQ(weak.warnings.size(), 3u);
  EXPECT_THAT(weak.warnings[0], HasSubstr("ARGON2_MEMORY_KIB"));
  EXPECT_THAT(weak.warnings[1], HasSubstr("PUBLIC_URL"));
  EXPECT_THAT(weak.warnings[2], HasSubstr("HSTS_MAX_AGE_SECONDS"));
  const Settings strong = load({{"ENVIRONMENT", "production"},
                                {"SECRET_KEY", kGoodKey},
                                {"ARGON2_MEMORY_KIB", "12288"},
                                {"ARGON2_ITERATIONS", "4"},
                                {"PUBLIC_URL", "https://id.example.com"},
                                {"HSTS_MAX_AGE_SECONDS", "31536000"}});
  EXPECT_TRUE(strong.warnings.empty());
  const Settings any = load({{"SECRET_KEY", kGoodKey}, {"ALLOWED_ORIGINS", "*"}});
  ASSERT_EQ(any.warnings.size(), 1u);
  EXPECT_THAT(any.warnings[0], HasSubstr("ALLOWED_ORIGINS"));
}

TEST_F(SettingsTest, ProductionWithDefaultsLoads) {
  const Settings s = load({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}});
  EXPECT_TRUE(s.production());
  EXPECT_THAT(s.allowed_origins, ElementsAre("http://localhost:3000"));
}

TEST_F(SettingsTest, MailDefaultsBuildLinksOnPublicUrl) {
  const Settings s = load({{"SECRET_KEY", kGoodKey}, {"PUBLIC_URL", "https://id.example.com/"}});
  EXPECT_EQ(s.password_reset_url, "https://id.example.com/reset-password?token={token}");
  EXPECT_EQ(s.email_verification_url, "https://id.example.com/verify-email?token={token}");
  EXPECT_EQ(s.invitation_url, "https://id.example.com/accept-invitation?token={token}");
  EXPECT_EQ(s.email_verification, "off");
  EXPECT_EQ(s.mail_retry_hours, 24);
  EXPECT_EQ(s.password_reset_ttl_minutes, 60);
  EXPECT_EQ(s.email_verification_ttl_hours, 24);
  EXPECT_EQ(s.mail_per_account_per_hour, 5);
  EXPECT_TRUE(s.mail_available());  // development logs mail
}

TEST_F(SettingsTest, LinkTemplatesHoldTheTokenOnceAndAreHttp) {
  EXPECT_EQ(
      load({{"SECRET_KEY", kGoodKey}, {"PASSWORD_RESET_URL", "https://app.example/r#{token}"}})
          .password_reset_url,
      "https://app.example/r#{token}");
  for (const char* bad : {"https://app.example/reset", "ftp://x/{token}", "/reset?t={token}",
                          "https://x/{token}/{token}", "javascript:{token}"}) {
    EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"INVITATION_URL", bad}}, "INVITATION_URL"),
                HasSubstr("holding {token} once"))
        << bad;
  }
}

TEST_F(SettingsTest, SmtpUrlIsCheckedAndNeverQuotedBack) {
  EXPECT_EQ(load({{"SECRET_KEY", kGoodKey}, {"SMTP_URL", "smtps://u:p@mail.example:465"}}).smtp_url,
            "smtps://u:p@mail.example:465");
  for (const char* bad :
       {"http://u:s3cret@mail", "smtp://u:s3cret@", "smtp://u:s3cret@:25", "s3cret"}) {
    const std::string message = error({{"SECRET_KEY", kGoodKey}, {"SMTP_URL", bad}}, "SMTP_URL");
    EXPECT_THAT(message, HasSubstr("expected smtp://")) << bad;
    EXPECT_THAT(message, Not(HasSubstr("s3cret"))) << bad;
  }
}

TEST_F(SettingsTest, ProductionWithoutSmtpRefusesVerificationButStartsWithout) {
  const Settings plain = load({{"ENVIRONMENT", "production"}, {"SECRET_KEY", kGoodKey}});
  EXPECT_FALSE(plain.mail_available());
  EXPECT_THAT(error({{"ENVIRONMENT", "production"},
                     {"SECRET_KEY", kGoodKey},
                     {"EMAIL_VERIFICATION", "optional"}},
                    "EMAIL_VERIFICATION"),
              HasSubstr("SMTP_URL is unset"));
  const Settings mailing = load({{"ENVIRONMENT", "production"},
                                 {"SECRET_KEY", kGoodKey},
                                 {"EMAIL_VERIFICATION", "Required"},
                                 {"SMTP_URL", "smtps://mail.example"}});
  EXPECT_EQ(mailing.email_verification, "required");
  EXPECT_TRUE(mailing.mail_available());
  EXPECT_THAT(
      error({{"SECRET_KEY", kGoodKey}, {"EMAIL_VERIFICATION", "yes"}}, "EMAIL_VERIFICATION"),
      HasSubstr("expected one of off, optional, required"));
}

TEST_F(SettingsTest, TheMfaPolicyAndTheConsoleAreChoices) {
  const Settings plain = load({{"SECRET_KEY", kGoodKey}});
  EXPECT_EQ(plain.mfa, "optional");
  EXPECT_TRUE(plain.admin_console);
  const Settings set =
      load({{"SECRET_KEY", kGoodKey}, {"MFA", "Required_For_Admins"}, {"ADMIN_CONSOLE", "OFF"}});
  EXPECT_EQ(set.mfa, "required_for_admins");
  EXPECT_FALSE(set.admin_console);
  EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"MFA", "always"}}, "MFA"),
              HasSubstr("expected one of optional, required_for_admins, required"));
  EXPECT_THAT(error({{"SECRET_KEY", kGoodKey}, {"ADMIN_CONSOLE", "false"}}, "ADMIN_CONSOLE"),
              HasSubstr("expected one of on, off"));
  EXPECT_FALSE(admin_console_setting({{"ADMIN_CONSOLE", "off"}}));
  EXPECT_TRUE(admin_console_setting({}));
}

}  // namespace
}  // namespace gh::config
