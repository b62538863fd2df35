#pragma once
#include <vector>

#include "http/route.hpp"
#include "services/audit_queries.hpp"

namespace gh::routers {

// Admin: GET /admin/audit-events; GET /users/me/audit-events (the caller's own events).
std::vector<http::Route> audit_routes(services::AuditQueries& audit);

}  // namespace gh::routers
