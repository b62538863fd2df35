#pragma once
// PostgreSQL failures as the DbError kinds that the layers above act on.
#include <libpq-fe.h>

#include <string>
#include <string_view>

#include "db/database.hpp"

namespace gh::db::postgres {

// By SQLSTATE: 23505 is a unique violation (409); lost connections, shutdowns, lock and
// serialization conflicts, cancellations and exhausted resources are the database not
// answering (503); the rest is a bug or bad data (500).
DbError::Kind error_kind(std::string_view sqlstate);

// A result that reports an error (and carries its SQLSTATE).
inline bool is_failure(ExecStatusType status) {
  return status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
         status == PGRES_NONFATAL_ERROR;
}

// The DbError for a failed result; `context` names the statement. The message carries the
// server's text: it is logged, never sent to a client.
DbError result_error(const PGresult* result, std::string_view context);

// The DbError for a failure of the connection itself (always unavailable).
DbError connection_error(PGconn* conn, std::string_view context);

}  // namespace gh::db::postgres
