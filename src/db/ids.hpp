#pragma once
// Row ids are UUIDs. PostgreSQL stores them as uuid and answers other text with an error
// (a 500), SQLite finds no row: a string that is no UUID names no row, on either backend,
// and the repositories say so without asking the database.
#include <string_view>

#include "core/uuid.hpp"

namespace gh::db {

inline bool could_be_id(std::string_view text) {
  return uuid::parse(text).has_value();
}

}  // namespace gh::db
