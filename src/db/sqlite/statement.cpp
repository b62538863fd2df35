#include "db/sqlite/statement.hpp"

#include <cstdint>
#include <string>

#include "db/sqlite/errors.hpp"

namespace gh::db::sqlite {
namespace {

class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

int bind_one(sqlite3_stmt* stmt, int index, const Value& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return sqlite3_bind_int64(stmt, index, *integer);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    // SQLITE_STATIC: the caller's params outlive the step loop, so no copy is needed.
    return sqlite3_bind_text64(stmt, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  return sqlite3_bind_null(stmt, index);
}

void bind_all(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params,
              std::string_view name) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    throw DbError(DbError::Kind::other, std::string{name} + ": expects " +
                                            std::to_string(expected) + " parameters, got " +
                                            std::to_string(params.size()));
  }
  for (int i = 0; i < expected; ++i) {
    check(db, bind_one(stmt, i + 1, params[static_cast<std::size_t>(i)]), name);
  }
}

std::string value_bytes(const void* data, int size) {
  return data == nullptr ? std::string{} : std::string(static_cast<const char*>(data), size);
}

// One sqlite3_column_value per column, then the sqlite3_value_* readers: each
// sqlite3_column_* call checks the statement, the index and the allocator's state again
// (three calls per text column). The value stays valid until the next step, and this
// connection is used by one thread at a time.
Value read_column(sqlite3_stmt* stmt, int i) {
  sqlite3_value* value = sqlite3_column_value(stmt, i);
  switch (sqlite3_value_type(value)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_value_int64(value)};
    case SQLITE_BLOB: {
      const void* data = sqlite3_value_blob(value);
      return value_bytes(data, sqlite3_value_bytes(value));
    }
    default: {
      // TEXT, and REAL as SQLite renders it: Value has no floating alternative and no
      // gatehouse column is REAL, so the text keeps the value exact enough to read.
      const void* data = sqlite3_value_text(value);
      return value_bytes(data, sqlite3_value_bytes(value));
    }
  }
}

Row read_row(sqlite3_stmt* stmt) {
  const int columns = sqlite3_column_count(stmt);
  Row row;
  row.values.reserve(static_cast<std::size_t>(columns));
  for (int i = 0; i < columns; ++i) row.values.push_back(read_column(stmt, i));
  return row;
}

}  // namespace

Result run_prepared(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params,
                    std::string_view name) {
  ResetGuard guard{stmt};
  bind_all(db, stmt, params, name);
  const std::int64_t changes_before = sqlite3_total_changes64(db);
  Result result;
  int code = SQLITE_ROW;
  while ((code = sqlite3_step(stmt)) == SQLITE_ROW) result.rows.push_back(read_row(stmt));
  if (code != SQLITE_DONE) throw_error(db, code, name);
  // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so a SELECT or DDL
  // would report a stale number; only trust it when this statement changed something.
  if (sqlite3_total_changes64(db) != changes_before) result.affected_rows = sqlite3_changes64(db);
  return result;
}

}  // namespace gh::db::sqlite
