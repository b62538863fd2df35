#pragma once
#include <vector>

#include "dependencies/guard.hpp"
#include "http/route.hpp"
#include "services/user_service.hpp"

namespace gh::routers {

// GET /users/me; admin: GET /users/, GET /users/stats, GET|PATCH|DELETE /users/{id}.
std::vector<http::Route> user_routes(services::UserService& users);

}  // namespace gh::routers
