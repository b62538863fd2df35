#pragma once
// Numbered SQL migrations (embedded in the binary at build time), applied in a transaction
// each and recorded in schema_migrations. Backend-agnostic: runs through Database.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace gh::db {

struct Migration {
  int version = 0;   // from the file name: 0001_create_users.up.sql -> 1
  std::string name;  // "create_users"
  std::string up;
  std::string down;
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  bool applied = false;
};

// The migrations compiled into this binary for a dialect, ordered by version.
const std::vector<Migration>& embedded_migrations(Dialect dialect);

class Migrator {
 public:
  Migrator(Database& db, const std::vector<Migration>& migrations)
      : db_(db), migrations_(migrations) {}

  boost::asio::awaitable<std::vector<MigrationStatus>> status();
  // Applies every pending migration in order; returns how many were applied.
  boost::asio::awaitable<int> up();
  // Reverts the last `steps` applied migrations; returns how many were reverted.
  boost::asio::awaitable<int> down(int steps);
  boost::asio::awaitable<int> pending_count();

 private:
  Database& db_;
  const std::vector<Migration>& migrations_;
};

}  // namespace gh::db
