#pragma once
// Request and response bodies of /auth/mfa: decoding and description.
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "services/mfa_types.hpp"

namespace gh::schemas {

// MfaCode: {code}, six digits.
std::string decode_mfa_code(const boost::json::value& body);

// MfaVerify: {mfa_token, code} or {mfa_token, recovery_code}, exactly one of the two.
services::SecondStep decode_second_step(const boost::json::value& body);

boost::json::value encode(const services::Enrollment& enrollment);
// RecoveryCodes: {recovery_codes}.
boost::json::value encode_recovery_codes(const std::vector<std::string>& codes);
boost::json::value encode(const services::Confirmation& confirmation);

}  // namespace gh::schemas
