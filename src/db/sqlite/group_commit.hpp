#pragma once
// Group commit: the transactions waiting for SQLite's one writer run together, each in a
// savepoint of its own inside one BEGIN IMMEDIATE ... COMMIT. A commit in WAL mode appends
// every page it dirtied to the log, and concurrent transactions dirty the same pages (the
// right edge of each index of an append-mostly table): committed together, each page goes to
// the log once per batch instead of once per transaction (bench/README.md, "What part two
// costs"). A transaction that fails rolls back to its savepoint alone; nothing is answered
// before the COMMIT that makes it durable.
#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

#include "db/database.hpp"

namespace gh::db::sqlite {

class Connection;

struct PendingTransaction {
  std::vector<Statement> statements;
  // Called once, after the batch's COMMIT (or with the error that ended it).
  std::function<void(std::exception_ptr, std::vector<Result>)> done;
};

// The most transactions one COMMIT carries: a batch holds the write lock for its whole run.
inline constexpr std::size_t kMaxGroupCommit = 64;

// Runs `batch` as described above on `c` and calls every `done`.
void commit_together(Connection& c, std::vector<PendingTransaction>& batch);

}  // namespace gh::db::sqlite
