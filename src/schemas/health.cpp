// The bodies of /health, /health/live and /health/ready, as the OpenAPI document
// describes them (routers/health.cpp writes them).
#include <boost/json/parse.hpp>

#include "schemas/catalog.hpp"

namespace gh::schemas {

void describe_health_schemas(Catalog& c) {
  c.schemas["HealthStatus"] = boost::json::parse(R"json({
    "type": "object",
    "required": ["status"],
    "properties": {
      "status": {"type": "string", "enum": ["healthy", "unhealthy", "alive"]}
    },
    "examples": [{"status": "healthy"}]
  })json")
                                  .as_object();
  c.own_error_bodies["HealthStatus"] = {{503, "Unhealthy: the database does not answer"}};
  c.own_error_bodies["Readiness"] = {
      {503, "Not ready (\"unhealthy\"): the database does not answer or migrations are pending"}};
  c.schemas["Readiness"] = boost::json::parse(R"json({
    "type": "object",
    "required": ["status", "checks"],
    "properties": {
      "status": {
        "type": "string",
        "enum": ["ready", "degraded", "unhealthy"],
        "description": "degraded (still 200): REDIS_URL is set and Redis does not answer; the instance serves with limits in the process"
      },
      "checks": {
        "type": "object",
        "required": ["database", "migrations"],
        "properties": {
          "database": {"type": "string", "enum": ["ok", "unavailable"]},
          "migrations": {"type": "string", "enum": ["ok", "pending"]},
          "redis": {"type": "string", "enum": ["ok", "unavailable"], "description": "present when REDIS_URL is set"}
        },
        "additionalProperties": {"type": "string"}
      }
    },
    "examples": [{"status": "ready", "checks": {"database": "ok", "migrations": "ok"}},
                 {"status": "degraded",
                  "checks": {"database": "ok", "migrations": "ok", "redis": "unavailable"}}]
  })json")
                               .as_object();
}

}  // namespace gh::schemas
