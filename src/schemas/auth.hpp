#pragma once
// Request and response bodies of /auth: decoding and validation in one place each.
#include <boost/json/value.hpp>
#include <string>

namespace gh::schemas {

struct Credentials {  // RegisterRequest and LoginRequest
  std::string email;  // lower-cased
  std::string password;
};
// Registration enforces the password policy; login only bounds the length, so a user
// whose password predates the policy can still sign in.
Credentials decode_register(const boost::json::value& body);
Credentials decode_login(const boost::json::value& body);

struct RefreshRequest {
  std::string refresh_token;
};
RefreshRequest decode_refresh(const boost::json::value& body);

struct PasswordChange {
  std::string current_password;
  std::string new_password;
};
PasswordChange decode_password_change(const boost::json::value& body);

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
};
boost::json::value encode(const TokenPair& tokens);

}  // namespace gh::schemas
