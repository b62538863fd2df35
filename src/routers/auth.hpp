#pragma once
#include <vector>

#include "dependencies/guard.hpp"
#include "http/route.hpp"
#include "services/auth_service.hpp"

namespace gh::routers {

// POST /auth/register, login, refresh, logout, logout-all, password.
std::vector<http::Route> auth_routes(services::AuthService& auth);

}  // namespace gh::routers
