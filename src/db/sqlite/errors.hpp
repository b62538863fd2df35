#pragma once
// SQLite result codes as the DbError kinds that the layers above act on.
#include <sqlite3.h>

#include <string_view>

#include "db/database.hpp"

namespace gh::db::sqlite {

DbError::Kind error_kind(int code);

// Throws DbError for `code`; the message names `context` and carries SQLite's own text
// (it is logged, never sent to a client).
[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view context);

// Throws unless `code` is SQLITE_OK.
inline void check(sqlite3* db, int code, std::string_view context) {
  if (code != SQLITE_OK) throw_error(db, code, context);
}

}  // namespace gh::db::sqlite
