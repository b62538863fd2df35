#pragma once
// Queries are written once with PostgreSQL's $1..$n. SQLite would read "$1" as a *named*
// parameter numbered by first appearance, so "$2 ... $1" would bind the wrong values;
// ?N keeps the number.
#include <string>
#include <string_view>

namespace gh::db::sqlite {

// Rewrites every $N outside string literals, quoted identifiers and comments to ?N.
std::string rewrite_placeholders(std::string_view sql);

}  // namespace gh::db::sqlite
