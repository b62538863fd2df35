#pragma once
#include <vector>

#include "http/route.hpp"
#include "services/email_flows.hpp"

namespace gh::routers {

// POST /auth/password-reset[/confirm], /auth/verify-email[/resend], /auth/invitation/accept;
// admin: POST /users/{id}/password-reset-email, /users/{id}/verification-email.
std::vector<http::Route> email_routes(services::EmailFlows& flows);

}  // namespace gh::routers
