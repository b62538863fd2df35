#pragma once
#include <vector>

#include "db/database.hpp"
#include "db/migrator.hpp"
#include "http/route.hpp"

namespace gh::routers {

// GET /health (database answers), /health/live (no I/O), /health/ready (database and
// migrations current).
std::vector<http::Route> health_routes(db::Database& db, db::Migrator& migrator);

}  // namespace gh::routers
