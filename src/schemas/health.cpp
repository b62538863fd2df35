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
      {503, "Not ready: the database does not answer or migrations are pending"}};
  c.schemas["Readiness"] = boost::json::parse(R"json({
    "type": "object",
    "required": ["status", "checks"],
    "properties": {
      "status": {"type": "string", "enum": ["ready", "not_ready"]},
      "checks": {
        "type": "object",
        "required": ["database", "migrations"],
        "properties": {
          "database": {"type": "string", "enum": ["ok", "unavailable"]},
          "migrations": {"type": "string", "enum": ["ok", "pending"]}
        },
        "additionalProperties": {"type": "string"}
      }
    },
    "examples": [{"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}]
  })json")
                               .as_object();
}

}  // namespace gh::schemas
