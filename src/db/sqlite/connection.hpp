#pragma once
// One SQLite connection and its prepared statements. Used by one thread at a time.
#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/database.hpp"

namespace gh::db::sqlite {

class Connection {
 public:
  // Opens `path` (WAL, synchronous=NORMAL, foreign keys on, busy timeout);
  // DbError(unavailable) when the file cannot be opened or is not a database.
  static std::unique_ptr<Connection> open(const std::string& path, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result execute(const Query& query, const std::vector<Value>& params);
  // A multi-statement script without parameters (migrations).
  void execute_script(const std::string& script);
  bool in_transaction() const;
  // Throws DbError unless the file reads back as a database: its header from the disk (one
  // small read, every time), then, when the last such look is `deep_every` old or more, the
  // schema and the first page of each table with the page cache emptied first, so that a
  // damaged file is seen now and not at the next restart. A few pages at any size, but the
  // emptied cache is this connection's, which the io thread's point reads then refill: at
  // every /health that cost four fifths of its throughput.
  void probe(std::chrono::milliseconds deep_every);

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  struct Prepared {
    std::unique_ptr<sqlite3_stmt, Finalize> stmt;
    std::string sql;  // the Query's text, to catch two queries sharing a name
  };
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const {
      return std::hash<std::string_view>{}(name);
    }
  };

  explicit Connection(sqlite3* db) : db_(db) {}
  void configure(int busy_timeout_ms);
  sqlite3_stmt* prepared(const Query& query);
  sqlite3_stmt* prepare(const Query& query);

  sqlite3* db_;
  std::chrono::steady_clock::time_point deep_probed_{};  // the last deep look that passed
  // Keyed by Query name, as every statement in gatehouse is a named constant.
  std::unordered_map<std::string, Prepared, NameHash, std::equal_to<>> statements_;
};

}  // namespace gh::db::sqlite
