#pragma once
// Statements that go with a change (an audit event), written in its transaction exactly
// when the change happened: a repository method that takes `also` runs them after its change
// statement, each only if that statement changed a row (Statement::only_if_changed).
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <vector>

#include "db/database.hpp"

namespace gh::db {

// Appends `also` to `statements`, each to run only if the statement at `change` changed a row.
void append_if_changed(std::vector<Statement>& statements, std::size_t change,
                       std::vector<Statement> also);

// `query` and `also` in one transaction, or `query` alone when `also` is empty; the result
// of `query`.
boost::asio::awaitable<Result> execute_with(Database& db, const Query& query,
                                            std::vector<Value> params, std::vector<Statement> also);

}  // namespace gh::db
