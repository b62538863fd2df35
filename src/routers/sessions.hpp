#pragma once
#include <vector>

#include "http/route.hpp"
#include "services/session_service.hpp"

namespace gh::routers {

// GET /users/me/sessions, DELETE /users/me/sessions/{sid}; admin: GET|DELETE
// /users/{id}/sessions, DELETE /users/{id}/sessions/{sid}.
std::vector<http::Route> session_routes(services::SessionService& sessions);

}  // namespace gh::routers
