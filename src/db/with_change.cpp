#include "db/with_change.hpp"

namespace gh::db {

void append_if_changed(std::vector<Statement>& statements, std::size_t change,
                       std::vector<Statement> also) {
  for (Statement& s : also) {
    s.only_if_changed = change;
    statements.push_back(std::move(s));
  }
}

boost::asio::awaitable<Result> execute_with(Database& db, const Query& query,
                                            std::vector<Value> params,
                                            std::vector<Statement> also) {
  if (also.empty()) co_return co_await db.execute(query, std::move(params));
  std::vector<Statement> statements;
  statements.push_back(Statement{&query, std::move(params)});
  append_if_changed(statements, 0, std::move(also));
  auto results = co_await db.execute_in_transaction(std::move(statements));
  co_return std::move(results.front());
}

}  // namespace gh::db
