#pragma once
// Request and response bodies of /auth: decoding and validation in one place each.
#include <boost/json/value.hpp>
#include <string>

#include "services/auth_types.hpp"

namespace gh::schemas {

using services::Credentials;
using services::PasswordChange;
using services::TokenPair;

// RegisterRequest and LoginRequest. Registration enforces the password policy; login only bounds
// the length, so a user whose password predates the policy can still sign in.
Credentials decode_register(const boost::json::value& body);
Credentials decode_login(const boost::json::value& body);

struct RefreshRequest {
  std::string refresh_token;
};
RefreshRequest decode_refresh(const boost::json::value& body);

PasswordChange decode_password_change(const boost::json::value& body);

boost::json::value encode(const TokenPair& tokens);

}  // namespace gh::schemas
