#pragma once
// What the user service takes: plain values, decoded by schemas/user.
#include <string>

#include "models/role.hpp"

namespace gh::services {

// POST /users: an account an admin creates, active, with the password they chose; without
// one, an invitation.
struct NewUser {
  std::string email;  // lower-cased
  models::Role role = models::Role::user;
  std::string password;  // empty: invite
};

}  // namespace gh::services
