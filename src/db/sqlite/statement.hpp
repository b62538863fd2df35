#pragma once
// Running one prepared statement: bind, step to the end, read the rows.
#include <sqlite3.h>

#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace gh::db::sqlite {

// Leaves the statement reset and unbound, even on error, so the cache can hand it out again.
Result run_prepared(sqlite3* db, sqlite3_stmt* stmt, const std::vector<Value>& params,
                    std::string_view name);

}  // namespace gh::db::sqlite
