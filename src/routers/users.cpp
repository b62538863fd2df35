#include "routers/users.hpp"

#include "dependencies/guard.hpp"
#include "http/json_body.hpp"
#include "schemas/user.hpp"
#include "schemas/user_json.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::bhttp::verb;

namespace {

awaitable<http::Response> list_users(services::UserService& users, http::Request& req) {
  auto page = schemas::decode_page(req.query_param("skip"), req.query_param("limit"));
  auto result = co_await users.list(page.skip, page.limit);
  http::Response res = http::json_response(200, schemas::users_json(result.users));
  res.set("X-Total-Count", std::to_string(result.total));
  co_return res;
}

}  // namespace

std::vector<http::Route> user_routes(services::UserService& users) {
  std::vector<http::Route> routes;
  routes.push_back(
      {verb::get,
       "/users/me",
       dependencies::with_caller(
           [](http::Request&, const services::Principal& who) -> awaitable<http::Response> {
             co_return http::json_response(200, schemas::user_json(who.user));
           }),
       Access::user,
       "users",
       "The caller's own account",
       "",
       "UserOut",
       200,
       {401}});
  routes.push_back({verb::get,
                    "/users/stats",
                    [&users](http::Request& req) -> awaitable<http::Response> {
                      auto counts = co_await users.stats();
                      co_return http::json_response(200, schemas::encode_counts(counts));
                    },
                    Access::admin,
                    "users",
                    "Counts of users, active users and admins",
                    "",
                    "UserStats",
                    200,
                    {401, 403}});
  routes.push_back({verb::get,
                    "/users/",
                    [&users](http::Request& req) -> awaitable<http::Response> {
                      co_return co_await list_users(users, req);
                    },
                    Access::admin,
                    "users",
                    "List users in creation order",
                    "",
                    "UserList",
                    200,
                    {401, 403, 422},
                    "Page"});
  routes.push_back({verb::get,
                    "/users/{id}",
                    [&users](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      auto user = co_await users.get(id);
                      co_return http::json_response(200, schemas::user_json(user));
                    },
                    Access::admin,
                    "users",
                    "One user",
                    "",
                    "UserOut",
                    200,
                    {401, 403, 404, 422}});
  routes.push_back({verb::patch,
                    "/users/{id}",
                    [&users](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      auto changes = schemas::decode_user_patch(http::parse_json_body(req));
                      auto user = co_await users.update(id, std::move(changes));
                      co_return http::json_response(200, schemas::user_json(user));
                    },
                    Access::admin,
                    "users",
                    "Change a user's email, role or active flag",
                    "UserPatch",
                    "UserOut",
                    200,
                    {401, 403, 404, 409, 415, 422}});
  routes.push_back({verb::delete_,
                    "/users/{id}",
                    [&users](http::Request& req) -> awaitable<http::Response> {
                      auto id = schemas::decode_user_id(req.path_param("id"));
                      co_await users.remove(id);
                      co_return http::empty_response(204);
                    },
                    Access::admin,
                    "users",
                    "Delete a user",
                    "",
                    "",
                    204,
                    {401, 403, 404, 409, 422}});
  return routes;
}

}  // namespace gh::routers
