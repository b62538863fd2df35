// Which SQLite statements run on the io thread: reads by key only.
#include "db/sqlite/point_read.hpp"

#include <gtest/gtest.h>

namespace gh::db::sqlite {
namespace {

TEST(PointRead, ReadsByKeyQualify) {
  EXPECT_TRUE(is_point_read("SELECT 1"));
  EXPECT_TRUE(is_point_read("SELECT 1 FROM users WHERE id = $1"));
  EXPECT_TRUE(is_point_read("  select id, email\nFROM users\tWHERE email = $1"));
  EXPECT_TRUE(
      is_point_read("SELECT u.id FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.id = $1 "
                    "AND s.id = $2"));
}

TEST(PointRead, WritesNeverQualify) {
  EXPECT_FALSE(is_point_read("UPDATE users SET role = $2 WHERE id = $1"));
  EXPECT_FALSE(is_point_read("INSERT INTO sessions (id) VALUES ($1)"));
  EXPECT_FALSE(is_point_read("DELETE FROM users WHERE id = $1"));
  EXPECT_FALSE(is_point_read("WITH x AS (SELECT 1) UPDATE users SET role = 'user'"));
  EXPECT_FALSE(is_point_read(""));
}

TEST(PointRead, ScansStayOffTheIoThread) {
  EXPECT_FALSE(is_point_read("SELECT COUNT(*) FROM users"));
  EXPECT_FALSE(is_point_read("SELECT id FROM users ORDER BY created_at LIMIT $2 OFFSET $1"));
  EXPECT_FALSE(is_point_read("SELECT id FROM users"));
  EXPECT_FALSE(is_point_read("SELECT role, SUM(is_active) FROM users WHERE 1 GROUP BY role"));
  EXPECT_FALSE(is_point_read("SELECT version FROM schema_migrations"));
}

}  // namespace
}  // namespace gh::db::sqlite
