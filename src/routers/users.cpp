#include "routers/users.hpp"

#include "dependencies/client.hpp"
#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/user.hpp"
#include "schemas/user_json.hpp"
#include "schemas/user_query.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;

namespace {

schemas::UserListParams list_params(const http::Request& req) {
  return {.skip = req.query_param("skip"),
          .limit = req.query_param("limit"),
          .cursor = req.query_param("cursor"),
          .q = req.query_param("q"),
          .role = req.query_param("role"),
          .is_active = req.query_param("is_active"),
          .email_verified = req.query_param("email_verified")};
}

awaitable<http::Response> list_users(services::UserService& users, http::Request& req) {
  const auto query = schemas::decode_user_query(list_params(req));
  auto page = co_await users.list(query);
  http::Response res = http::json_response(200, schemas::users_json(page.users));
  if (page.total) res.set("X-Total-Count", std::to_string(*page.total));
  if (page.next) {
    // Relative to the request's own path, so "/users" and "/users/" each link to themselves.
    const std::string next = schemas::next_page_query(query, *page.next);
    res.set("Link", "<" + std::string(req.path) + "?" + next + ">; rel=\"next\"");
    res.set("X-Next-Cursor", schemas::encode_cursor(*page.next));
  }
  co_return res;
}

}  // namespace

std::vector<http::Route> user_routes(services::UserService& users) {
  std::vector<http::Route> routes;
  routes.push_back(
      {.method = verb::get,
       .path = "/users/me",
       .access = Access::user,
       .tag = Tag::users,
       .summary = "The caller's own account",
       .response_schema = "UserOut",
       .before_verification = true,
       .before_mfa_enrollment = true,
       .handler = dependencies::with_caller(
           [](http::Request&, const services::Principal& who) -> awaitable<http::Response> {
             co_return http::json_response(200, schemas::user_json(who.user));
           })});
  routes.push_back({.method = verb::get,
                    .path = "/users/stats",
                    .access = Access::admin,
                    .tag = Tag::users,
                    .summary = "Counts of users, active users and admins",
                    .response_schema = "UserStats",
                    .handler = [&users](http::Request&) -> awaitable<http::Response> {
                      auto counts = co_await users.stats();
                      co_return http::json_response(200, schemas::encode_counts(counts));
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/users/",
                    .access = Access::admin,
                    .tag = Tag::users,
                    .summary = "List users in creation order; filters and cursor paging",
                    .query_schema = "UserListQuery",
                    .response_schema = "UserList",
                    .handler = [&users](http::Request& req) -> awaitable<http::Response> {
                      co_return co_await list_users(users, req);
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/users/",
                    .access = Access::admin,
                    .tag = Tag::users,
                    .summary = "Create an active user with a password",
                    .request_schema = "UserCreate",
                    .response_schema = "UserOut",
                    .success_status = 201,
                    .errors = {ErrorCode::email_taken},
                    .handler = [&users](http::Request& req) -> awaitable<http::Response> {
                      auto fresh = schemas::decode_user_create(http::parse_json_body(req));
                      auto user = co_await users.create(std::move(fresh), dependencies::actor(req));
                      co_return http::json_response(201, schemas::user_json(user));
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/users/{id}",
                    .access = Access::admin,
                    .tag = Tag::users,
                    .summary = "One user",
                    .response_schema = "UserOut",
                    .errors = {ErrorCode::user_not_found},
                    .handler = [&users](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      auto user = co_await users.get(id);
                      co_return http::json_response(200, schemas::user_json(user));
                    }});
  routes.push_back(
      {.method = verb::patch,
       .path = "/users/{id}",
       .access = Access::admin,
       .tag = Tag::users,
       .summary = "Change a user's email, role or active flag",
       .request_schema = "UserPatch",
       .response_schema = "UserOut",
       .errors = {ErrorCode::user_not_found, ErrorCode::email_taken, ErrorCode::last_admin},
       .handler = [&users](http::Request& req) -> awaitable<http::Response> {
         auto id = schemas::decode_user_id(req.path_param("id"));
         auto changes = schemas::decode_user_patch(http::parse_json_body(req));
         auto user = co_await users.update(id, std::move(changes), dependencies::actor(req));
         co_return http::json_response(200, schemas::user_json(user));
       }});
  routes.push_back({.method = verb::delete_,
                    .path = "/users/{id}",
                    .access = Access::admin,
                    .tag = Tag::users,
                    .summary = "Delete a user",
                    .success_status = 204,
                    .errors = {ErrorCode::user_not_found, ErrorCode::last_admin},
                    .handler = [&users](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      co_await users.remove(id, dependencies::actor(req));
                      co_return http::empty_response(204);
                    }});
  return routes;
}

}  // namespace gh::routers
