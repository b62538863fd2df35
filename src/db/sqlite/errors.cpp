#include "db/sqlite/errors.hpp"

#include <string>

namespace gh::db::sqlite {

DbError::Kind error_kind(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return DbError::Kind::unique_violation;
    default:
      break;
  }
  // Lock waits that outlived busy_timeout, a file that cannot be reached and a file that is
  // damaged are the database not answering (503, as /health says), not a bug in the query.
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DbError::Kind::unavailable;
    default:
      return DbError::Kind::other;
  }
}

void throw_error(sqlite3* db, int code, std::string_view context) {
  // sqlite3_errmsg describes the latest failure on `db`; without a handle only the code is known.
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  std::string message{context};
  message += ": ";
  message += detail;
  throw DbError(error_kind(code), message);
}

}  // namespace gh::db::sqlite
