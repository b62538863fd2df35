#include <gtest/gtest.h>

#include "config/settings.hpp"

namespace gh::config {
namespace {

using Kind = DatabaseUrl::Kind;

TEST(DatabaseUrl, SqliteRelativePath) {
  const DatabaseUrl db = parse_database_url("sqlite:///rel.db");
  EXPECT_EQ(db.kind, Kind::sqlite);
  EXPECT_EQ(db.path, "rel.db");
}

TEST(DatabaseUrl, SqliteDotRelativePath) {
  EXPECT_EQ(parse_database_url("sqlite:///./data/app.db").path, "./data/app.db");
}

TEST(DatabaseUrl, SqliteAbsolutePath) {
  EXPECT_EQ(parse_database_url("sqlite:////abs/x.db").path, "/abs/x.db");
}

TEST(DatabaseUrl, SqliteMemory) {
  EXPECT_EQ(parse_database_url("sqlite:///:memory:").path, ":memory:");
  EXPECT_EQ(parse_database_url("sqlite://").path, ":memory:");
  EXPECT_EQ(parse_database_url("sqlite:///").path, ":memory:");
}

TEST(DatabaseUrl, SqliteDriverIgnored) {
  const DatabaseUrl db = parse_database_url("sqlite+aiosqlite:///x.db");
  EXPECT_EQ(db.kind, Kind::sqlite);
  EXPECT_EQ(db.path, "x.db");
}

TEST(DatabaseUrl, SqliteWithHostRefused) {
  EXPECT_THROW(parse_database_url("sqlite://host/x.db"), ConfigError);
}

TEST(DatabaseUrl, SqliteOptionsRefused) {
  EXPECT_THROW(parse_database_url("sqlite:///x.db?mode=ro"), ConfigError);
}

TEST(DatabaseUrl, Postgres) {
  const DatabaseUrl db = parse_database_url("postgresql://user:pass@host:5433/db");
  EXPECT_EQ(db.kind, Kind::postgres);
  EXPECT_EQ(db.user, "user");
  EXPECT_EQ(db.password, "pass");
  EXPECT_EQ(db.host, "host");
  EXPECT_EQ(db.port, 5433);
  EXPECT_EQ(db.dbname, "db");
  EXPECT_EQ(db.conninfo, "postgresql://user:pass@host:5433/db");
}

TEST(DatabaseUrl, PostgresDefaultPort) {
  EXPECT_EQ(parse_database_url("postgresql://u@host/db").port, 5432);
}

TEST(DatabaseUrl, PostgresDriverRemovedFromConninfo) {
  const DatabaseUrl db = parse_database_url("postgresql+asyncpg://u:p@h:5432/d");
  EXPECT_EQ(db.kind, Kind::postgres);
  EXPECT_EQ(db.conninfo, "postgresql://u:p@h:5432/d");
}

TEST(DatabaseUrl, PostgresShortScheme) {
  const DatabaseUrl db = parse_database_url("postgres://u:p@h/d");
  EXPECT_EQ(db.kind, Kind::postgres);
  EXPECT_EQ(db.conninfo, "postgresql://u:p@h/d");
}

TEST(DatabaseUrl, PostgresKeepsQuery) {
  const DatabaseUrl db = parse_database_url("postgresql://u:p@h/d?sslmode=require");
  EXPECT_EQ(db.conninfo, "postgresql://u:p@h/d?sslmode=require");
  EXPECT_EQ(db.dbname, "d");
}

TEST(DatabaseUrl, PostgresPercentDecoded) {
  const DatabaseUrl db = parse_database_url("postgresql://us%40er:p%3Ass%2Fw@h/my%20db");
  EXPECT_EQ(db.user, "us@er");
  EXPECT_EQ(db.password, "p:ss/w");
  EXPECT_EQ(db.dbname, "my db");
}

TEST(DatabaseUrl, PostgresIpv6Host) {
  const DatabaseUrl db = parse_database_url("postgresql://u:p@[::1]:6543/d");
  EXPECT_EQ(db.host, "::1");
  EXPECT_EQ(db.port, 6543);
}

TEST(DatabaseUrl, PostgresBadPortRefused) {
  EXPECT_THROW(parse_database_url("postgresql://u:p@h:0/d"), ConfigError);
  EXPECT_THROW(parse_database_url("postgresql://u:p@h:70000/d"), ConfigError);
}

// Every refusal names DATABASE_URL and none repeats the password.
class RefusedUrl : public ::testing::TestWithParam<const char*> {};

TEST_P(RefusedUrl, NamesTheSettingWithoutThePassword) {
  try {
    parse_database_url(GetParam());
    FAIL() << "accepted " << GetParam();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.setting(), "DATABASE_URL");
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(DatabaseUrl, RefusedUrl,
                         ::testing::Values("", "garbage", "mysql://root:hunter2@h/db", "hunter2",
                                           "user:hunter2@host/db", "postgresql://u:hun ter2@h/db",
                                           "postgresql://u:hunter2@h:99999/db", "x:hunter2@h://"));

TEST(DatabaseUrl, UnsupportedSchemeIsNamed) {
  try {
    parse_database_url("mysql://root:pw@h/db");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("\"mysql\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gh::config
