#include "routers/audit.hpp"

#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/audit.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;

namespace {

schemas::AuditListParams list_params(const http::Request& req) {
  return {.type = req.query_param("type"),
          .outcome = req.query_param("outcome"),
          .user_id = req.query_param("user_id"),
          .actor_id = req.query_param("actor_id"),
          .ip = req.query_param("ip"),
          .since = req.query_param("since"),
          .until = req.query_param("until"),
          .limit = req.query_param("limit"),
          .cursor = req.query_param("cursor")};
}

}  // namespace

std::vector<http::Route> audit_routes(services::AuditQueries& audit) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/admin/audit-events",
                    .access = Access::admin,
                    .tag = Tag::audit,
                    .summary = "The audit log, newest first; filters and cursor paging",
                    .query_schema = "AuditEventQuery",
                    .response_schema = "AuditEventPage",
                    .handler = [&audit](http::Request& req) -> awaitable<http::Response> {
                      const auto query = schemas::decode_audit_query(list_params(req));
                      auto page = co_await audit.list(query);
                      co_return http::json_response(200, schemas::audit_page_json(page));
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/users/me/audit-events",
                    .access = Access::user,
                    .tag = Tag::audit,
                    .summary = "The caller's own security activity, newest first; cursor paging",
                    .query_schema = "OwnAuditEventQuery",
                    .response_schema = "AuditEventPage",
                    .handler = dependencies::with_caller(
                        [&audit](http::Request& req,
                                 const services::Principal& who) -> awaitable<http::Response> {
                          auto query = schemas::decode_own_audit_query(list_params(req));
                          auto page = co_await audit.list_own(who.user.id, std::move(query));
                          co_return http::json_response(200, schemas::audit_page_json(page));
                        })});
  return routes;
}

}  // namespace gh::routers
