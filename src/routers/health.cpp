#include "routers/health.hpp"

#include <boost/json/object.hpp>

#include "http/json_body.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Tag;
using http::bhttp::verb;

namespace {

// A failed probe is an answer, not an error: it must never throw its way to a 500.
awaitable<bool> database_ok(db::Database& db) {
  try {
    co_return co_await db.ping();
  } catch (...) {
    co_return false;
  }
}

awaitable<bool> migrations_ok(db::Migrator& migrator) {
  try {
    co_return (co_await migrator.pending_count()) == 0;
  } catch (...) {
    co_return false;
  }
}

awaitable<bool> redis_ok(redis::Client& redis) {
  auto reply = co_await redis.command({"PING"});
  co_return reply && !reply->is_error();
}

// Without Redis the instance still serves (limits fall back to the process), so a Redis
// outage makes it "degraded", not unready: taking every instance out of the load balancer
// for it would turn a partial outage into a full one.
awaitable<http::Response> readiness(db::Database& db, db::Migrator& migrator,
                                    redis::Client* redis) {
  bool database = co_await database_ok(db);
  bool migrations = database && co_await migrations_ok(migrator);
  bool ready = database && migrations;
  boost::json::object checks{{"database", database ? "ok" : "unavailable"},
                             {"migrations", migrations ? "ok" : "pending"}};
  const char* status = ready ? "ready" : "unhealthy";
  if (redis) {
    bool cache = co_await redis_ok(*redis);
    checks["redis"] = cache ? "ok" : "unavailable";
    if (ready && !cache) status = "degraded";
  }
  co_return http::json_response(ready ? 200 : 503,
                                boost::json::object{{"status", status}, {"checks", checks}});
}

}  // namespace

std::vector<http::Route> health_routes(db::Database& db, db::Migrator& migrator,
                                       redis::Client* redis) {
  std::vector<http::Route> routes;
  // /health and /health/ready answer their 503 with their own body, not the error envelope.
  routes.push_back({.method = verb::get,
                    .path = "/health",
                    .tag = Tag::health,
                    .summary = "Healthy when the database answers",
                    .response_schema = "HealthStatus",
                    .handler = [&db](http::Request&) -> awaitable<http::Response> {
                      // Two fixed bodies: no JSON tree built for a probe that runs often.
                      const bool ok = co_await database_ok(db);
                      co_return http::json_response(ok ? 200 : 503,
                                                    std::string(ok ? R"({"status":"healthy"})"
                                                                   : R"({"status":"unhealthy"})"));
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/health/live",
                    .tag = Tag::health,
                    .summary = "Liveness: the process answers",
                    .response_schema = "HealthStatus",
                    .handler = [](http::Request&) -> awaitable<http::Response> {
                      co_return http::json_response(200, std::string(R"({"status":"alive"})"));
                    }});
  routes.push_back(
      {.method = verb::get,
       .path = "/health/ready",
       .tag = Tag::health,
       .summary = "Readiness: database up, migrations current; Redis when configured",
       .response_schema = "Readiness",
       .handler = [&db, &migrator, redis](http::Request&) -> awaitable<http::Response> {
         co_return co_await readiness(db, migrator, redis);
       }});
  return routes;
}

}  // namespace gh::routers
