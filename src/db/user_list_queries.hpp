#pragma once
// The statements of a users page: one per combination of filters, so each dialect plans a
// filter with the index made for it (a generic "$n IS NULL OR ..." would make the planner
// give up every index but creation order). Parameters: $1, $2 the keyset position
// (created_at, id), $3 the row limit, $4 the offset, then the filters present, in the order
// email, role, is_active, email_verified.
#include "db/database.hpp"
#include "models/user_query.hpp"

namespace gh::db {

const Query& user_list_query(const models::UserFilter& filter);

// The LIKE pattern that matches `text` as a literal substring (PostgreSQL; `\` escapes).
std::string contains_pattern(std::string_view text);
// The FTS5 query that matches `text` as a literal substring with the trigram tokenizer.
std::string trigram_phrase(std::string_view text);

}  // namespace gh::db
