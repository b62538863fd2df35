#pragma once
// What the MFA service answers: plain values, encoded by schemas/mfa.
#include <string>
#include <vector>

#include "services/auth_types.hpp"

namespace gh::services {

struct Enrollment {
  std::string secret;  // base32
  std::string otpauth_uri;
  std::string qr_svg;
};

struct Confirmation {
  std::vector<std::string> recovery_codes;
  TokenPair pair;
};

}  // namespace gh::services
