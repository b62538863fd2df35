#include "db/postgres/errors.hpp"

namespace gh::db::postgres {
namespace {

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
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
  message += trimmed(PQresultErrorMessage(result));
  return DbError(kind, message);
}

DbError connection_error(PGconn* conn, std::string_view context) {
  std::string message{context};
  message += ": ";
  message += conn != nullptr ? trimmed(PQerrorMessage(conn)) : "out of memory";
  return DbError(DbError::Kind::unavailable, message);
}

}  // namespace gh::db::postgres
