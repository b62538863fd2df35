#include "db/user_rows.hpp"

#include <cstdint>

namespace gh::db {

std::vector<Value> user_insert_params(const models::User& user) {
  return {user.id,
          user.email,
          user.password_hash,
          user.role,
          std::int64_t{user.is_active ? 1 : 0},
          user.created_at,
          user.updated_at};
}

models::User user_from_row(const Row& row) {
  return models::User{.id = row.text(0),
                      .email = row.text(1),
                      .password_hash = row.text(2),
                      .role = row.text(3),
                      .is_active = row.integer(4) != 0,
                      .created_at = row.integer(5),
                      .updated_at = row.integer(6)};
}

models::User user_from_row(Row&& row) {
  auto take = [&](std::size_t i) { return std::move(std::get<std::string>(row.values.at(i))); };
  return models::User{.id = take(0),
                      .email = take(1),
                      .password_hash = take(2),
                      .role = take(3),
                      .is_active = row.integer(4) != 0,
                      .created_at = row.integer(5),
                      .updated_at = row.integer(6)};
}

}  // namespace gh::db
