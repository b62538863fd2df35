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

// POST /auth/mfa/verify: a login's mfa_token, and a code or (then `code` is empty) a
// recovery code.
struct SecondStep {
  std::string mfa_token;
  std::string code;
  std::string recovery_code;
};

struct Confirmation {
  std::vector<std::string> recovery_codes;
  TokenPair pair;
};

}  // namespace gh::services
