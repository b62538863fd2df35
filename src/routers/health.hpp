#pragma once
#include <vector>

#include "db/database.hpp"
#include "db/migrator.hpp"
#include "http/route.hpp"
#include "redis/client.hpp"

namespace gh::routers {

// GET /health (database answers), /health/live (no I/O), /health/ready (database and
// migrations current; with Redis configured, "degraded" but 200 while Redis is down).
std::vector<http::Route> health_routes(db::Database& db, db::Migrator& migrator,
                                       redis::Client* redis = nullptr);

}  // namespace gh::routers
