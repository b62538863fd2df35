#include "db/user_rows.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gh::db {
namespace {

// The column has a CHECK constraint; a value outside it is a damaged database, not a user.
models::Role role_from(const std::string& name) {
  if (auto role = models::parse_role(name)) return *role;
  throw std::runtime_error("users.role holds an unknown role");
}

}  // namespace

std::vector<Value> user_insert_params(const models::User& user) {
  return {user.id,
          user.email,
          user.password_hash,
          std::string(models::role_name(user.role)),
          std::int64_t{user.is_active ? 1 : 0},
          user.created_at,
          user.updated_at,
          std::int64_t{user.email_verified ? 1 : 0}};
}

models::User user_from_row(const Row& row) {
  return models::User{.id = row.text(0),
                      .email = row.text(1),
                      .password_hash = row.text(2),
                      .role = role_from(row.text(3)),
                      .is_active = row.integer(4) != 0,
                      .created_at = row.integer(5),
                      .updated_at = row.integer(6),
                      .email_verified = row.integer(7) != 0,
                      .last_login_at = row.is_null(8) ? 0 : row.integer(8),
                      .mfa_enabled = row.integer(9) != 0};
}

models::User user_from_row(Row&& row) {
  auto take = [&](std::size_t i) { return std::move(std::get<std::string>(row.values.at(i))); };
  return models::User{.id = take(0),
                      .email = take(1),
                      .password_hash = take(2),
                      .role = role_from(row.text(3)),
                      .is_active = row.integer(4) != 0,
                      .created_at = row.integer(5),
                      .updated_at = row.integer(6),
                      .email_verified = row.integer(7) != 0,
                      .last_login_at = row.is_null(8) ? 0 : row.integer(8),
                      .mfa_enabled = row.integer(9) != 0};
}

}  // namespace gh::db
