#pragma once
// Parameter lists for Database calls made inside coroutines: GCC 12 rejects a braced list
// in a co_await expression ("array used as initializer"), so coroutines write
// `co_await db.execute(kQuery, params(id, now))` instead of `{id, now}`.
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace gh::db {

// The models' "none" for a text column (an empty string) as the NULL it is stored as.
inline Value text_or_null(const std::string& text) {
  return text.empty() ? Value{} : Value{text};
}

template <class... Args>
std::vector<Value> params(Args&&... args) {
  std::vector<Value> values;
  values.reserve(sizeof...(Args));
  (values.emplace_back(std::forward<Args>(args)), ...);
  return values;
}

}  // namespace gh::db
