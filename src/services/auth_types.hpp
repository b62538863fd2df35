#pragma once
// What the auth service takes and gives: plain values. schemas/auth decodes request bodies
// into them and encodes them; the service knows nothing of JSON or HTTP.
#include <string>

namespace gh::services {

struct Credentials {
  std::string email;  // lower-cased
  std::string password;
};

struct PasswordChange {
  std::string current_password;
  std::string new_password;
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
};

}  // namespace gh::services
