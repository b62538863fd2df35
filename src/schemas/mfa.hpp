#pragma once
// Request and response bodies of /auth/mfa: decoding and description.
#include <boost/json/value.hpp>
#include <string>

#include "services/mfa_types.hpp"

namespace gh::schemas {

// MfaCode: {code}, six digits.
std::string decode_mfa_code(const boost::json::value& body);

boost::json::value encode(const services::Enrollment& enrollment);
boost::json::value encode(const services::Confirmation& confirmation);

}  // namespace gh::schemas
