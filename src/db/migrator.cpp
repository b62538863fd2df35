#include "db/migrator.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "core/clock.hpp"
#include "db/params.hpp"

namespace gh::db {
namespace {

// The bookkeeping table is the runner's, not a migration: it must exist before any runs.
constexpr Query kCreateSchemaMigrations{
    "create_schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    // INTEGER is 32 bits there; applied_at holds microseconds.
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)"};
constexpr Query kSelectAppliedMigrations{
    "select_applied_migrations", "SELECT version, name FROM schema_migrations ORDER BY version"};
constexpr Query kInsertAppliedMigration{
    "insert_applied_migration",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};
constexpr Query kDeleteAppliedMigration{"delete_applied_migration",
                                        "DELETE FROM schema_migrations WHERE version = $1"};

using AppliedVersions = std::map<int, std::string>;  // version -> name, ascending

const Migration* find_migration(const std::vector<Migration>& migrations, int version) {
  const auto found = std::find_if(migrations.begin(), migrations.end(),
                                  [version](const Migration& m) { return m.version == version; });
  return found == migrations.end() ? nullptr : &*found;
}

// A version this binary does not know means the schema is newer than the code: running
// against it, or "reverting" what we cannot see, would be guesswork.
void refuse_unknown(const std::vector<Migration>& migrations, const AppliedVersions& applied) {
  for (const auto& [version, name] : applied) {
    if (find_migration(migrations, version) != nullptr) continue;
    throw DbError(DbError::Kind::other,
                  "database has migration " + std::to_string(version) + " (" + name +
                      ") that this build does not know; the schema is newer than the binary");
  }
}

std::vector<const Migration*> by_version(const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  for (const Migration& m : migrations) ordered.push_back(&m);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  return ordered;
}

int count_pending(const std::vector<Migration>& migrations, const AppliedVersions& applied) {
  return static_cast<int>(
      std::count_if(migrations.begin(), migrations.end(),
                    [&applied](const Migration& m) { return !applied.contains(m.version); }));
}

boost::asio::awaitable<AppliedVersions> load_applied(Database& db,
                                                     const std::vector<Migration>& migrations) {
  co_await db.execute(kCreateSchemaMigrations, params());
  const Result result = co_await db.execute(kSelectAppliedMigrations, params());
  AppliedVersions applied;
  for (const Row& row : result.rows) applied.emplace(static_cast<int>(row.integer(0)), row.text(1));
  refuse_unknown(migrations, applied);
  co_return applied;
}

}  // namespace

boost::asio::awaitable<std::vector<MigrationStatus>> Migrator::status() {
  const AppliedVersions applied = co_await load_applied(db_, migrations_);
  std::vector<MigrationStatus> statuses;
  for (const Migration* m : by_version(migrations_)) {
    statuses.push_back({m->version, m->name, applied.contains(m->version)});
  }
  co_return statuses;
}

boost::asio::awaitable<int> Migrator::up() {
  const AppliedVersions applied = co_await load_applied(db_, migrations_);
  int count = 0;
  for (const Migration* m : by_version(migrations_)) {
    if (applied.contains(m->version)) continue;
    std::vector<Statement> record{
        {&kInsertAppliedMigration,
         params(std::int64_t{m->version}, m->name, SystemClock{}.now_micros())}};
    co_await db_.execute_script(m->up, std::move(record));
    ++count;
  }
  co_return count;
}

boost::asio::awaitable<int> Migrator::down(int steps) {
  const AppliedVersions applied = co_await load_applied(db_, migrations_);
  int count = 0;
  for (auto it = applied.rbegin(); it != applied.rend() && count < steps; ++it, ++count) {
    const Migration* m = find_migration(migrations_, it->first);
    std::vector<Statement> forget{{&kDeleteAppliedMigration, params(std::int64_t{m->version})}};
    co_await db_.execute_script(m->down, std::move(forget));
  }
  co_return count;
}

boost::asio::awaitable<int> Migrator::pending_count() {
  const AppliedVersions applied = co_await load_applied(db_, migrations_);
  co_return count_pending(migrations_, applied);
}

}  // namespace gh::db
