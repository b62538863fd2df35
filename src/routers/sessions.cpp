#include "routers/sessions.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/session.hpp"
#include "schemas/user.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;

namespace {

std::vector<http::Route> own_session_routes(services::SessionService& sessions) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/users/me/sessions",
                    .access = Access::user,
                    .tag = Tag::sessions,
                    .summary = "The caller's open sessions, newest first",
                    .response_schema = "SessionList",
                    .handler = dependencies::with_caller(
                        [&sessions](http::Request&,
                                    const services::Principal& who) -> awaitable<http::Response> {
                          auto entries = co_await sessions.list_own(who.user.id, who.session_id);
                          co_return http::json_response(200, schemas::encode_sessions(entries));
                        })});
  routes.push_back({.method = verb::delete_,
                    .path = "/users/me/sessions/{sid}",
                    .access = Access::user,
                    .tag = Tag::sessions,
                    .summary = "End one of the caller's sessions; its tokens stop working at once",
                    .success_status = 204,
                    .errors = {ErrorCode::session_not_found},
                    .handler = [&sessions](http::Request& req) -> awaitable<http::Response> {
                      auto sid = schemas::decode_session_id(req.path_param("sid"));
                      co_await sessions.end_own(dependencies::actor(req), sid);
                      co_return http::empty_response(204);
                    }});
  return routes;
}

std::vector<http::Route> admin_session_routes(services::SessionService& sessions) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/users/{id}/sessions",
                    .access = Access::admin,
                    .tag = Tag::sessions,
                    .summary = "A user's open sessions, newest first",
                    .response_schema = "SessionList",
                    .errors = {ErrorCode::user_not_found},
                    .handler = [&sessions](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      auto entries = co_await sessions.list_for(id);
                      co_return http::json_response(200, schemas::encode_sessions(entries));
                    }});
  routes.push_back({.method = verb::delete_,
                    .path = "/users/{id}/sessions",
                    .access = Access::admin,
                    .tag = Tag::sessions,
                    .summary = "End every session of a user",
                    .success_status = 204,
                    .errors = {ErrorCode::user_not_found},
                    .handler = [&sessions](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      co_await sessions.end_all_for(id, dependencies::actor(req));
                      co_return http::empty_response(204);
                    }});
  routes.push_back({.method = verb::delete_,
                    .path = "/users/{id}/sessions/{sid}",
                    .access = Access::admin,
                    .tag = Tag::sessions,
                    .summary = "End one session of a user",
                    .success_status = 204,
                    .errors = {ErrorCode::user_not_found, ErrorCode::session_not_found},
                    .handler = [&sessions](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      auto sid = schemas::decode_session_id(req.path_param("sid"));
                      co_await sessions.end_for(id, sid, dependencies::actor(req));
                      co_return http::empty_response(204);
                    }});
  return routes;
}

}  // namespace

std::vector<http::Route> session_routes(services::SessionService& sessions) {
  auto routes = own_session_routes(sessions);
  for (auto& r : admin_session_routes(sessions)) routes.push_back(std::move(r));
  return routes;
}

}  // namespace gh::routers
