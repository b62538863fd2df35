#include "http/router.hpp"

#include <gtest/gtest.h>

#include "core/api_error.hpp"

namespace gh::http {
namespace {

using bhttp::verb;

Handler noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

Router sample_router() {
  Router r;
  r.add({.method = verb::get, .path = "/users/me", .handler = noop()});
  r.add({.method = verb::get, .path = "/users/", .handler = noop()});
  r.add({.method = verb::get, .path = "/users/{id}", .handler = noop()});
  r.add({.method = verb::patch, .path = "/users/{id}", .handler = noop()});
  r.add({.method = verb::delete_, .path = "/users/{id}", .handler = noop()});
  r.add({.method = verb::post, .path = "/auth/login", .handler = noop()});
  r.add({.method = verb::get, .path = "/health", .handler = noop()});
  return r;
}

Request make(verb method, std::string target) {
  Request req;
  req.raw.method(method);
  req.raw.target(target);
  split_target(req);
  return req;
}

int status_of(const Router& router, Request req) {
  try {
    router.match(req);
    return 200;
  } catch (const ApiError& e) {
    return e.status();
  }
}

TEST(Router, MatchesLiteralPathsAndSetsTheRoute) {
  Router router = sample_router();
  Request req = make(verb::post, "/auth/login");
  const Route& route = router.match(req);
  EXPECT_EQ(route.path, "/auth/login");
  EXPECT_EQ(req.route, &route);
}

TEST(Router, LiteralWinsOverTemplate) {
  Router router = sample_router();
  Request req = make(verb::get, "/users/me");
  EXPECT_EQ(router.match(req).path, "/users/me");
  EXPECT_TRUE(req.path_params.empty());
}

TEST(Router, TemplateCapturesTheSegment) {
  Router router = sample_router();
  Request req = make(verb::get, "/users/0190c3a4-1b2c-7d3e-8f40-123456789abc?x=1");
  EXPECT_EQ(router.match(req).path, "/users/{id}");
  EXPECT_EQ(req.path_param("id"), "0190c3a4-1b2c-7d3e-8f40-123456789abc");
}

TEST(Router, TrailingSlashIsTheSamePath) {
  Router router = sample_router();
  EXPECT_EQ(status_of(router, make(verb::get, "/users")), 200);
  EXPECT_EQ(status_of(router, make(verb::get, "/users/")), 200);
  EXPECT_EQ(status_of(router, make(verb::get, "/health/")), 200);
}

TEST(Router, UnknownPathsAre404) {
  Router router = sample_router();
  for (const char* target : {"/nope", "/users/a/b", "/users//", "", "users", "/health/x/"})
    EXPECT_EQ(status_of(router, make(verb::get, target)), 404) << target;
}

// The Allow header of the 405 that `req` gets, or "no 405".
std::string allow_of(const Router& router, Request req) {
  try {
    router.match(req);
  } catch (const ApiError& e) {
    if (e.status() == 405 && e.headers.size() == 1 && e.headers[0].first == "Allow")
      return e.headers[0].second;
  }
  return "no 405";
}

TEST(Router, WrongMethodIs405WithEveryAllowedMethod) {
  EXPECT_EQ(allow_of(sample_router(), make(verb::put, "/users/abc")), "GET, PATCH, DELETE");
}

TEST(Router, LiteralPathWithOtherMethodIs405NotTheTemplate) {
  // DELETE /users/me: "me" also fits /users/{id}, but the literal path owns it.
  EXPECT_EQ(allow_of(sample_router(), make(verb::delete_, "/users/me")), "GET");
}

TEST(Router, LiteralWinsWhateverTheOrderOfDeclaration) {
  Router router;
  router.add({.method = verb::get, .path = "/users/{id}", .handler = noop()});
  router.add({.method = verb::delete_, .path = "/users/{id}", .handler = noop()});
  router.add({.method = verb::get, .path = "/users/me", .handler = noop()});
  router.add({.method = verb::get, .path = "/users/{id}/sessions/{sid}", .handler = noop()});
  router.add({.method = verb::get, .path = "/users/me/sessions/{sid}", .handler = noop()});
  Request me = make(verb::get, "/users/me");
  EXPECT_EQ(router.match(me).path, "/users/me");
  Request other = make(verb::get, "/users/7");
  EXPECT_EQ(router.match(other).path, "/users/{id}");
  Request mine = make(verb::get, "/users/me/sessions/s1");
  EXPECT_EQ(router.match(mine).path, "/users/me/sessions/{sid}");
  Request theirs = make(verb::get, "/users/7/sessions/s1");
  EXPECT_EQ(router.match(theirs).path, "/users/{id}/sessions/{sid}");
  // The literal's path answers for its own methods only.
  EXPECT_EQ(allow_of(router, make(verb::delete_, "/users/me")), "GET");
}

TEST(Router, TheLeftmostLiteralDecides) {
  Router router;
  router.add({.method = verb::get, .path = "/{kind}/me", .handler = noop()});
  router.add({.method = verb::get, .path = "/users/{id}", .handler = noop()});
  Request req = make(verb::get, "/users/me");
  EXPECT_EQ(router.match(req).path, "/users/{id}");
}

TEST(Router, RoutesThatMatchTheSamePathsAreRefusedNamingBoth) {
  Router router;
  router.add({.method = verb::get, .path = "/users/{id}", .handler = noop()});
  router.add({.method = verb::patch,
              .path = "/users/{user_id}",
              .handler = noop()});  // another method: fine
  try {
    router.add({.method = verb::get, .path = "/users/{user_id}/", .handler = noop()});
    FAIL() << "a second GET for the same paths was accepted";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("/users/{id}"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/users/{user_id}/"), std::string::npos) << e.what();
  }
  EXPECT_THROW(router.add({.method = verb::get, .path = "/users/{id}", .handler = noop()}),
               std::logic_error);
}

TEST(Router, TemplatesOfOneRankShareTheirMethodsWhateverTheParameterNames) {
  Router router;
  router.add({.method = verb::get, .path = "/users/{id}", .handler = noop()});
  router.add({.method = verb::patch, .path = "/users/{user_id}", .handler = noop()});
  EXPECT_EQ(allow_of(router, make(verb::post, "/users/7")), "GET, PATCH");
}

}  // namespace
}  // namespace gh::http
