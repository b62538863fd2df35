#pragma once
#include <vector>

#include "http/route.hpp"
#include "services/mfa_service.hpp"

namespace gh::routers {

// POST /auth/mfa/totp, POST /auth/mfa/totp/confirm.
std::vector<http::Route> mfa_routes(services::MfaService& mfa);

}  // namespace gh::routers
