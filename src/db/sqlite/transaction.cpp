#include "db/sqlite/transaction.hpp"

namespace gh::db::sqlite {
namespace {

constexpr Query kBegin{"sqlite_begin_immediate", "BEGIN IMMEDIATE"};
constexpr Query kCommit{"sqlite_commit", "COMMIT"};
constexpr Query kRollback{"sqlite_rollback", "ROLLBACK"};

}  // namespace

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.execute(kBegin, {});
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled back; ROLLBACK would then fail.
  if (committed_ || !connection_.in_transaction()) return;
  try {
    connection_.execute(kRollback, {});
  } catch (...) {
    // The error that brought us here is the one worth reporting.
  }
}

void Transaction::commit() {
  connection_.execute(kCommit, {});
  committed_ = true;
}

}  // namespace gh::db::sqlite
