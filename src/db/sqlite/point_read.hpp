#pragma once
// Which statements are cheap enough to run on an io thread (see SqliteDatabase::execute).
#include <string_view>

namespace gh::db::sqlite {

// A read of a few rows by key: a SELECT with a WHERE (or no table at all) and no
// aggregate, ordering or paging, whose cost would grow with the table.
bool is_point_read(std::string_view sql);

}  // namespace gh::db::sqlite
