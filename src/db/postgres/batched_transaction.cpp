#include "db/postgres/batched_transaction.hpp"

#include <cstddef>

namespace gh::db::postgres {
namespace asio = boost::asio;

namespace {

// The statements from `first` on that can go in one batch: up to the first whose
// condition is the answer of a statement in the same batch.
std::size_t batch_end(const std::vector<Statement>& statements, std::size_t first) {
  std::size_t end = first;
  for (; end < statements.size(); ++end) {
    const auto& condition = statements[end].only_if_changed;
    if (condition && *condition >= first && *condition < end) break;
  }
  return end;
}

}  // namespace

asio::awaitable<std::vector<Result>> run_batched(Connection& connection,
                                                 const std::vector<Statement>& statements,
                                                 Clock::time_point deadline) {
  std::vector<Result> results;
  results.reserve(statements.size());
  bool begun = false;
  for (;;) {
    const std::size_t first = results.size();
    const std::size_t end = batch_end(statements, first);
    std::vector<Connection::Command> batch;
    if (!begun) batch.push_back({.text = "BEGIN"});
    // Conditions on earlier batches are known now: runs() decides (and, like SQLite's
    // backend, throws for a condition on a later statement).
    std::vector<bool> sent;
    for (std::size_t i = first; i < end; ++i) {
      sent.push_back(runs(statements[i], results));
      if (sent.back())
        batch.push_back({.query = statements[i].query, .params = &statements[i].params});
    }
    const bool last = end == statements.size();
    if (last) batch.push_back({.text = "COMMIT"});
    if (batch.empty()) {  // every statement of a middle batch skipped: nothing to send
      results.resize(end);
      continue;
    }
    std::vector<Result> answers = co_await connection.execute_batch(batch, deadline);
    std::size_t answer = begun ? 0 : 1;
    begun = true;
    for (const bool was_sent : sent)
      results.push_back(was_sent ? std::move(answers[answer++]) : Result{});
    if (last) co_return results;
  }
}

}  // namespace gh::db::postgres
