#pragma once
// BEGIN IMMEDIATE ... COMMIT on one connection; rolls back unless committed.
#include "db/sqlite/connection.hpp"

namespace gh::db::sqlite {

class Transaction {
 public:
  // IMMEDIATE takes the write lock up front, waiting up to busy_timeout: a deferred
  // transaction that reads first fails with SQLITE_BUSY, unretryably, when it later writes.
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& connection_;
  bool committed_ = false;
};

}  // namespace gh::db::sqlite
