#pragma once
// A transaction's statements in as few round trips as they allow. BEGIN goes out with the
// first statements and COMMIT with the last, in one pipeline batch when nothing waits on an
// answer. A statement that runs only if an earlier one changed a row
// (Statement::only_if_changed) waits for that answer, so it starts the next batch: a
// refresh and its audit event take two round trips instead of four.
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "db/postgres/connection.hpp"

namespace gh::db::postgres {

// One Result per statement (empty for a statement skipped by its condition). On a failure
// the transaction is left open and failed on `connection`: the caller rolls it back.
boost::asio::awaitable<std::vector<Result>> run_batched(Connection& connection,
                                                        const std::vector<Statement>& statements,
                                                        Clock::time_point deadline);

}  // namespace gh::db::postgres
