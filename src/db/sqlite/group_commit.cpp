#include "db/sqlite/group_commit.hpp"

#include <utility>

#include "db/sqlite/connection.hpp"
#include "db/sqlite/transaction.hpp"

namespace gh::db::sqlite {
namespace {

constexpr Query kSavepoint{"sqlite_savepoint", "SAVEPOINT gh_job"};
constexpr Query kRelease{"sqlite_release", "RELEASE gh_job"};
constexpr Query kRollbackTo{"sqlite_rollback_to", "ROLLBACK TO gh_job"};

struct Outcome {
  std::exception_ptr error;
  std::vector<Result> results;
};

// One transaction of the batch in its savepoint. Its own failure is its outcome; an error
// that ended the whole transaction (SQLite rolls back by itself on SQLITE_FULL, IOERR, ...)
// is thrown, for every transaction of the batch.
Outcome run_one(Connection& c, const std::vector<Statement>& statements) {
  Outcome out;
  c.execute(kSavepoint, {});
  try {
    out.results.reserve(statements.size());
    for (const Statement& s : statements)
      out.results.push_back(runs(s, out.results) ? c.execute(*s.query, s.params) : Result{});
  } catch (...) {
    if (!c.in_transaction()) throw;
    out.error = std::current_exception();
    out.results.clear();
    c.execute(kRollbackTo, {});
  }
  c.execute(kRelease, {});
  return out;
}

void fail_all(std::vector<PendingTransaction>& batch, const std::exception_ptr& error) {
  for (auto& t : batch) t.done(error, {});
}

}  // namespace

void commit_together(Connection& c, std::vector<PendingTransaction>& batch) {
  std::vector<Outcome> outcomes;
  outcomes.reserve(batch.size());
  try {
    Transaction transaction{c};
    for (const auto& t : batch) outcomes.push_back(run_one(c, t.statements));
    transaction.commit();
  } catch (...) {
    fail_all(batch, std::current_exception());
    return;
  }
  // Moved, not copied: the exception is freed on the io thread that reads it (core/offload).
  for (std::size_t i = 0; i < batch.size(); ++i)
    batch[i].done(std::move(outcomes[i].error), std::move(outcomes[i].results));
}

}  // namespace gh::db::sqlite
