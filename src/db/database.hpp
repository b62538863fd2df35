#pragma once
// The database seen by repositories: named, parameterised statements, always awaited.
// Backends (sqlite/, later postgres/) implement it; nothing above db/ knows which one runs.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gh::db {

// NULL, integer (booleans are 0/1) or text. Enough for every column gatehouse stores.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

struct Row {
  std::vector<Value> values;

  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  const std::string& text(std::size_t i) const { return std::get<std::string>(values.at(i)); }
  // A nullable text column read as empty when NULL (the models' "none").
  std::string text_or_empty(std::size_t i) const { return is_null(i) ? std::string{} : text(i); }
  std::int64_t integer(std::size_t i) const { return std::get<std::int64_t>(values.at(i)); }
};

struct Result {
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;
};

// One SQL statement, written once with $1..$n placeholders. `postgres` is set only
// where that dialect needs different text.
struct Query {
  std::string_view name;
  std::string_view sql;
  std::string_view postgres = {};
  // A plain SELECT: writes nothing and locks no row, so it can never wait on another
  // transaction. PostgreSQL sends these down its pipeline (see postgres/pipeline.hpp) and
  // plans them once for all parameter values: a lookup by key or a page read in index
  // order, not a statement whose best plan depends on the values.
  bool read_only = false;
};

struct Statement {
  const Query* query;
  std::vector<Value> params;
  // In a transaction: runs only if the statement at this (earlier) index changed a row,
  // and is skipped otherwise (an empty result). So a record of a change that may not happen
  // (an audit event) is written exactly when the change is, in its transaction.
  std::optional<std::size_t> only_if_changed = std::nullopt;
};

// Whether `s` runs, given the results of the statements before it in its transaction.
inline bool runs(const Statement& s, const std::vector<Result>& before) {
  return !s.only_if_changed || before.at(*s.only_if_changed).affected_rows > 0;
}

enum class Dialect { sqlite, postgres };

class DbError : public std::runtime_error {
 public:
  enum class Kind { unique_violation, unavailable, other };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

// What a backend's connections are doing, for /metrics: connections running a statement,
// connections open and idle, and statements waiting for a connection.
struct PoolStats {
  std::int64_t in_use = 0;
  std::int64_t idle = 0;
  std::int64_t waiting = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;
  // Throws DbError. Runs off the calling io thread; resumes on it.
  virtual boost::asio::awaitable<Result> execute(const Query& query, std::vector<Value> params) = 0;
  // All statements in one transaction: every result, or nothing applied (DbError).
  virtual boost::asio::awaitable<std::vector<Result>> execute_in_transaction(
      std::vector<Statement> statements) = 0;
  // Runs a multi-statement script, then `then`, in one transaction (migrations).
  virtual boost::asio::awaitable<void> execute_script(std::string script,
                                                      std::vector<Statement> then) = 0;
  // True when the database answers; SQLite also reads its file back (see its probe).
  virtual boost::asio::awaitable<bool> ping() = 0;
  // A snapshot for /metrics; cheap, never blocks. A backend that does not track its pool
  // reports zeros.
  virtual PoolStats pool_stats() const noexcept { return {}; }
};

}  // namespace gh::db
