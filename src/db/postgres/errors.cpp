#include "db/postgres/errors.hpp"

namespace gh::db::postgres {
namespace {

// libpq's messages span lines ("...\n\tIs the server running...?\n"); a log line or the
// command line's one-line error wants them on one.
std::string one_line(const char* text) {
  std::string out;
  bool space = false;
  for (const char* c = text != nullptr ? text : ""; *c != '\0'; ++c) {
    const bool blank = *c == '\n' || *c == '\t' || *c == ' ' || *c == '\r';
    if (blank) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(*c);
    }
  }
  return out;
}

}  // namespace

DbError::Kind error_kind(std::string_view sqlstate) {
  if (sqlstate == "23505") return DbError::Kind::unique_violation;
  const std::string_view error_class = sqlstate.substr(0, 2);
  if (error_class == "08" || error_class == "53" || error_class == "57" || error_class == "40" ||
      sqlstate == "55P03") {
    return DbError::Kind::unavailable;
  }
  return DbError::Kind::other;
}

DbError result_error(const PGresult* result, std::string_view context) {
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  // No SQLSTATE: libpq made this result itself, for a connection it lost.
  const DbError::Kind kind =
      sqlstate != nullptr ? error_kind(sqlstate) : DbError::Kind::unavailable;
  std::string message{context};
  message += ": ";
  if (sqlstate != nullptr) message += std::string{sqlstate} + " ";
  message += one_line(PQresultErrorMessage(result));
  return DbError(kind, message);
}

DbError connection_error(PGconn* conn, std::string_view context) {
  std::string message{context};
  message += ": ";
  message += conn != nullptr ? one_line(PQerrorMessage(conn)) : "out of memory";
  return DbError(DbError::Kind::unavailable, message);
}

}  // namespace gh::db::postgres
