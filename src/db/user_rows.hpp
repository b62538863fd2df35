#pragma once
// How a users row maps to models::User; shared by the repositories that write or read users.
#include <vector>

#include "db/database.hpp"
#include "models/user.hpp"

namespace gh::db {

inline constexpr Query kInsertUser{
    "insert_user",
    "INSERT INTO users (id, email, password_hash, role, is_active, created_at, updated_at, "
    "email_verified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};

// The parameters of kInsertUser.
std::vector<Value> user_insert_params(const models::User& user);

// A row selected as kUserColumns (or the same names prefixed).
// id, email, password_hash, role, is_active, created_at, updated_at, email_verified,
// last_login_at, mfa_enabled.
models::User user_from_row(const Row& row);
// The same, taking the row's strings instead of copying them.
models::User user_from_row(Row&& row);

}  // namespace gh::db
