// The /auth and /users handlers through the application's whole pipeline, in process (no
// socket), on SQLite in memory: what API.md says a client sees, status codes, the error
// envelope and the headers each kind of answer carries.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app.hpp"
#include "app_request.hpp"
#include "core/log.hpp"
#include "in_memory_settings.hpp"

namespace gh {
namespace {

namespace bhttp = http::bhttp;
namespace json = boost::json;
using bhttp::verb;
using test::json_request;

constexpr std::string_view kNoOne = "01890a5d-ac96-774b-bcce-b302099a8057";

json::value body_of(const http::Response& res) {
  return json::parse(res.body());
}

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

std::string credentials(const std::string& email, const std::string& password) {
  return json::serialize(json::object{{"email", email}, {"password", password}});
}

// The `loc`s of a 422's `fields`, each joined with '.': {"body.email", "query.limit"}.
std::set<std::string> field_locs(const http::Response& res) {
  std::set<std::string> locs;
  const json::value body = body_of(res);
  for (const auto& field : body.at("error").at("fields").as_array()) {
    std::string joined;
    for (const auto& part : field.at("loc").as_array())
      joined += (joined.empty() ? "" : ".") + str(part);
    EXPECT_FALSE(field.at("msg").as_string().empty()) << joined;
    locs.insert(joined);
  }
  return locs;
}

// The envelope, exactly: {"error": {"code", "detail"}} (and "fields" on a 422), as JSON.
void expect_error(const http::Response& res, int status, std::string_view code) {
  EXPECT_EQ(res.result_int(), status) << res.body();
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  const json::value body = body_of(res);
  ASSERT_TRUE(body.is_object()) << res.body();
  EXPECT_EQ(body.as_object().size(), 1U) << res.body();
  const json::object& error = body.at("error").as_object();
  EXPECT_EQ(str(error.at("code")), code);
  EXPECT_FALSE(error.at("detail").as_string().empty());
  EXPECT_EQ(error.size(), status == 422 ? 3U : 2U) << res.body();
  if (status == 401) EXPECT_EQ(res[bhttp::field::www_authenticate], "Bearer");
  if (status == 429) EXPECT_FALSE(res[bhttp::field::retry_after].empty());
}

// The methods an Allow header names, in any order.
std::set<std::string> allowed(const http::Response& res) {
  std::set<std::string> methods;
  std::string_view rest = res[bhttp::field::allow];
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view method = rest.substr(0, comma);
    while (method.starts_with(' ')) method.remove_prefix(1);
    methods.emplace(method);
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
  }
  return methods;
}

struct Tokens {
  std::string access, refresh;
};

class Handlers : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { log::configure(log::Level::off, log::Format::json); }
  void SetUp() override { app_->migrate_up(); }

  http::Response send(verb method, const std::string& target, const std::string& token = {},
                      const std::string& body = "{}") {
    return test::send(*app_, method, target, token, body);
  }
  static Tokens tokens_of(const http::Response& res) {
    const json::value body = body_of(res);
    EXPECT_EQ(str(body.at("token_type")), "bearer");
    return {str(body.at("access_token")), str(body.at("refresh_token"))};
  }
  Tokens register_user(const std::string& email, const std::string& password = "correct horse") {
    const auto res = send(verb::post, "/auth/register", {}, credentials(email, password));
    EXPECT_EQ(res.result_int(), 201) << res.body();
    return tokens_of(res);
  }
  http::Response login(const std::string& email, const std::string& password) {
    return send(verb::post, "/auth/login", {}, credentials(email, password));
  }
  // An admin made as the command line makes one, logged in.
  Tokens admin(const std::string& email = "root@example.com") {
    EXPECT_EQ(app_->create_admin(email, "admin password"), 0);
    return tokens_of(login(email, "admin password"));
  }
  std::string id_of(const Tokens& t) {
    return str(body_of(send(verb::get, "/users/me", t.access)).at("id"));
  }
  std::string refresh_body(const Tokens& t) {
    return json::serialize(json::object{{"refresh_token", t.refresh}});
  }

  std::unique_ptr<App> app_ = std::make_unique<App>(test::in_memory_settings());
};

// --- /auth/register ---------------------------------------------------------------------------

TEST_F(Handlers, RegisterAnswers201WithABearerPair) {
  const auto res =
      send(verb::post, "/auth/register", {}, credentials("ada@example.com", "correct horse"));
  EXPECT_EQ(res.result_int(), 201);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_FALSE(res["X-Request-ID"].empty());
  const Tokens t = tokens_of(res);
  EXPECT_EQ(send(verb::get, "/users/me", t.access).result_int(), 200);
}

TEST_F(Handlers, RegisteringAnEmailTakenInAnyCaseIs409EmailTaken) {
  register_user("Ada@Example.com");
  expect_error(send(verb::post, "/auth/register", {}, credentials("ada@EXAMPLE.COM", "other pass")),
               409, "EMAIL_TAKEN");
}

TEST_F(Handlers, AnInvalidRegistrationIs422NamingEachField) {
  const auto res = send(verb::post, "/auth/register", {}, credentials("not-an-email", "short"));
  expect_error(res, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(res), (std::set<std::string>{"body.email", "body.password"}));
  const auto empty = send(verb::post, "/auth/register", {}, "{}");
  expect_error(empty, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(empty), (std::set<std::string>{"body.email", "body.password"}));
}

TEST_F(Handlers, MalformedJsonIs422AboutTheBody) {
  const auto res = send(verb::post, "/auth/register", {}, R"({"email": )");
  expect_error(res, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(res), (std::set<std::string>{"body"}));
}

TEST_F(Handlers, ABodyThatIsNotJsonIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    http::Request req = json_request(verb::post, "/auth/register", {},
                                     "email=ada%40example.com&password=correct+horse");
    req.raw.set(bhttp::field::content_type, type);
    expect_error(test::send(*app_, std::move(req)), 415, "UNSUPPORTED_MEDIA_TYPE");
  }
  http::Request none =
      json_request(verb::post, "/auth/login", {}, credentials("ada@example.com", "correct horse"));
  none.raw.erase(bhttp::field::content_type);
  expect_error(test::send(*app_, std::move(none)), 415, "UNSUPPORTED_MEDIA_TYPE");
}

// --- /auth/login --------------------------------------------------------------------------------

TEST_F(Handlers, LoginAnswers200WithAPairAndADeviceToken) {
  register_user("ada@example.com");
  const auto res = login("ADA@example.com", "correct horse");
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_FALSE(res["Device-Token"].empty());
  EXPECT_EQ(send(verb::get, "/users/me", tokens_of(res).access).result_int(), 200);
}

TEST_F(Handlers, WrongPasswordUnknownEmailAndInactiveUserGetTheSame401) {
  const Tokens root = admin();
  const Tokens bob = register_user("bob@example.com");
  send(verb::patch, "/users/" + id_of(bob), root.access, R"({"is_active": false})");
  register_user("ada@example.com");
  std::vector<std::string> bodies;
  for (const auto& [email, password] : {std::pair{"ada@example.com", "wrong password"},
                                        {"nobody@example.com", "correct horse"},
                                        {"bob@example.com", "correct horse"}}) {
    const auto res = login(email, password);
    expect_error(res, 401, "INVALID_CREDENTIALS");
    bodies.push_back(res.body());
  }
  EXPECT_EQ(bodies[0], bodies[1]);
  EXPECT_EQ(bodies[0], bodies[2]);
}

TEST_F(Handlers, FailedLoginsPastTheLimitAre429WithRetryAfter) {
  register_user("ada@example.com");
  for (int i = 0; i < app_->settings().login_max_failures; ++i)
    ASSERT_EQ(login("ada@example.com", "wrong password").result_int(), 401) << i;
  const auto res = login("ada@example.com", "correct horse");
  expect_error(res, 429, "TOO_MANY_LOGIN_ATTEMPTS");
  const int retry_after = std::stoi(std::string(res[bhttp::field::retry_after]));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, app_->settings().login_failure_window_seconds);
}

TEST_F(Handlers, TheRequestRateLimitIs429WithRetryAfterAndItsHeaders) {
  App limited(test::in_memory_settings({{"RATE_LIMIT_REQUESTS", "2"}}));
  limited.migrate_up();
  const auto first = test::send(limited, verb::get, "/health/live");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(first["RateLimit-Limit"], "2");
  test::send(limited, verb::get, "/health/live");
  const auto res = test::send(limited, verb::get, "/health/live");
  expect_error(res, 429, "RATE_LIMITED");
  EXPECT_EQ(res["RateLimit-Remaining"], "0");
}

// --- /auth/refresh, /auth/logout, /auth/logout-all
// ------------------------------------------------

TEST_F(Handlers, RefreshAnswersANewPairAndTheOldRefreshTokenIs401) {
  const Tokens first = register_user("ada@example.com");
  const auto res = send(verb::post, "/auth/refresh", {}, refresh_body(first));
  EXPECT_EQ(res.result_int(), 200) << res.body();
  const Tokens second = tokens_of(res);
  EXPECT_NE(second.refresh, first.refresh);
  expect_error(send(verb::post, "/auth/refresh", {}, refresh_body(first)), 401, "INVALID_TOKEN");
  // That was reuse: the session is over, its newest tokens with it.
  expect_error(send(verb::get, "/users/me", second.access), 401, "INVALID_TOKEN");
}

TEST_F(Handlers, ARefreshRequestWithoutATokenIs422) {
  const auto res = send(verb::post, "/auth/refresh", {}, R"({"refresh_token": ""})");
  expect_error(res, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(res), (std::set<std::string>{"body.refresh_token"}));
  expect_error(send(verb::post, "/auth/refresh", {}, R"({"refresh_token": "junk"})"), 401,
               "INVALID_TOKEN");
}

TEST_F(Handlers, LogoutIs204AndEndsThatSession) {
  const Tokens t = register_user("ada@example.com");
  const auto res = send(verb::post, "/auth/logout", {}, refresh_body(t));
  EXPECT_EQ(res.result_int(), 204);
  EXPECT_TRUE(res.body().empty());
  expect_error(send(verb::get, "/users/me", t.access), 401, "INVALID_TOKEN");
  expect_error(send(verb::post, "/auth/logout", {}, refresh_body(t)), 401, "INVALID_TOKEN");
}

TEST_F(Handlers, LogoutAllIs204AndEndsEverySession) {
  const Tokens one = register_user("ada@example.com");
  const Tokens two = tokens_of(login("ada@example.com", "correct horse"));
  EXPECT_EQ(send(verb::post, "/auth/logout-all", two.access).result_int(), 204);
  expect_error(send(verb::get, "/users/me", one.access), 401, "INVALID_TOKEN");
  expect_error(send(verb::get, "/users/me", two.access), 401, "INVALID_TOKEN");
  expect_error(send(verb::post, "/auth/logout-all", ""), 401, "NOT_AUTHENTICATED");
}

// --- /auth/password
// -------------------------------------------------------------------------------

TEST_F(Handlers, PasswordChangeAnswers401422Or204) {
  const Tokens current = register_user("ada@example.com");
  const Tokens other = tokens_of(login("ada@example.com", "correct horse"));
  expect_error(send(verb::post, "/auth/password", current.access,
                    R"({"current_password": "wrong password", "new_password": "battery staple"})"),
               401, "INVALID_CREDENTIALS");
  const auto weak = send(verb::post, "/auth/password", current.access,
                         R"({"current_password": "correct horse", "new_password": "short"})");
  expect_error(weak, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(weak), (std::set<std::string>{"body.new_password"}));
  const auto res =
      send(verb::post, "/auth/password", current.access,
           R"({"current_password": "correct horse", "new_password": "battery staple"})");
  EXPECT_EQ(res.result_int(), 204) << res.body();
  EXPECT_EQ(send(verb::get, "/users/me", current.access).result_int(), 200);
  expect_error(send(verb::get, "/users/me", other.access), 401, "INVALID_TOKEN");
  EXPECT_EQ(login("ada@example.com", "battery staple").result_int(), 200);
}

// --- the guard
// ------------------------------------------------------------------------------------

TEST_F(Handlers, TheGuardAsksForABearerTokenAndRefusesABadOne) {
  const Tokens t = register_user("ada@example.com");
  expect_error(send(verb::get, "/users/me"), 401, "NOT_AUTHENTICATED");
  expect_error(send(verb::get, "/users/me", "not-a-token"), 401, "INVALID_TOKEN");
  expect_error(send(verb::get, "/users/me", t.refresh), 401, "INVALID_TOKEN");
  http::Request basic = json_request(verb::get, "/users/me");
  basic.raw.set(bhttp::field::authorization, "Basic YWRhOmNvcnJlY3QgaG9yc2U=");
  expect_error(test::send(*app_, std::move(basic)), 401, "NOT_AUTHENTICATED");
  http::Request lower = json_request(verb::get, "/users/me");
  lower.raw.set(bhttp::field::authorization, "bearer " + t.access);  // the scheme has no case
  EXPECT_EQ(test::send(*app_, std::move(lower)).result_int(), 200);
}

TEST_F(Handlers, AUserOnAnAdminRouteIs403) {
  const Tokens t = register_user("ada@example.com");
  expect_error(send(verb::get, "/users/stats", t.access), 403, "FORBIDDEN");
  expect_error(send(verb::delete_, "/users/" + id_of(t), t.access), 403, "FORBIDDEN");
}

// --- /users
// ---------------------------------------------------------------------------------------

TEST_F(Handlers, MeIsTheCallersUserOut) {
  const Tokens t = register_user("Ada@Example.com");
  const auto res = send(verb::get, "/users/me", t.access);
  EXPECT_EQ(res.result_int(), 200);
  const json::object me = body_of(res).as_object();
  std::set<std::string> keys;
  for (const auto& kv : me) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys,
            (std::set<std::string>{"id", "email", "role", "is_active", "created_at", "updated_at",
                                   "email_verified", "last_login_at", "mfa_enabled"}));
  EXPECT_FALSE(me.at("mfa_enabled").as_bool());
  EXPECT_FALSE(me.at("email_verified").as_bool());
  EXPECT_TRUE(me.at("last_login_at").is_null()) << "registered, never logged in";
  EXPECT_EQ(str(me.at("email")), "ada@example.com");  // stored lower-cased
  EXPECT_EQ(str(me.at("role")), "user");
  EXPECT_TRUE(me.at("is_active").as_bool());
  EXPECT_EQ(str(me.at("created_at")).back(), 'Z');
}

TEST_F(Handlers, TheListPagesInCreationOrderWithXTotalCount) {
  const Tokens root = admin();
  std::vector<std::string> emails{"root@example.com"};
  for (const char* name : {"dora", "carl", "ben"}) {
    emails.push_back(std::string(name) + "@example.com");
    register_user(emails.back());
  }
  for (const char* path : {"/users/", "/users"}) {
    const auto res = send(verb::get, path, root.access);
    EXPECT_EQ(res.result_int(), 200) << path;
    EXPECT_EQ(res["X-Total-Count"], "4") << path;
    std::vector<std::string> listed;
    const json::value body = body_of(res);
    for (const auto& u : body.as_array()) listed.push_back(str(u.at("email")));
    EXPECT_EQ(listed, emails) << path;
  }
  const auto page = send(verb::get, "/users/?skip=1&limit=2", root.access);
  EXPECT_EQ(page["X-Total-Count"], "4");
  const json::array users = body_of(page).as_array();
  ASSERT_EQ(users.size(), 2U);
  EXPECT_EQ(str(users[0].at("email")), emails[1]);
  EXPECT_EQ(str(users[1].at("email")), emails[2]);
}

TEST_F(Handlers, ListBoundsOutOfRangeAre422NamingTheParameter) {
  const Tokens root = admin();
  for (const auto& [query, loc] : {std::pair{"skip=-1", "query.skip"},
                                   {"limit=0", "query.limit"},
                                   {"limit=101", "query.limit"},
                                   {"limit=ten", "query.limit"}}) {
    const auto res = send(verb::get, std::string("/users/?") + query, root.access);
    expect_error(res, 422, "VALIDATION_ERROR");
    EXPECT_EQ(field_locs(res), (std::set<std::string>{loc})) << query;
  }
  EXPECT_EQ(send(verb::get, "/users/?limit=100", root.access).result_int(), 200);
}

TEST_F(Handlers, GetOneUserIs200404Or422) {
  const Tokens root = admin();
  const std::string id = id_of(register_user("ada@example.com"));
  const auto res = send(verb::get, "/users/" + id, root.access);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(str(body_of(res).at("id")), id);
  expect_error(send(verb::get, "/users/" + std::string(kNoOne), root.access), 404,
               "USER_NOT_FOUND");
  const auto bad = send(verb::get, "/users/not-a-uuid", root.access);
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(bad), (std::set<std::string>{"path.id"}));
}

TEST_F(Handlers, PatchChangesAUserOrSaysWhyNot) {
  const Tokens root = admin();
  const Tokens ada = register_user("ada@example.com");
  register_user("bob@example.com");
  const std::string path = "/users/" + id_of(ada);
  const auto res = send(verb::patch, path, root.access, R"({"email": "Lovelace@Example.com"})");
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(str(body_of(res).at("email")), "lovelace@example.com");
  expect_error(send(verb::patch, path, root.access, R"({"email": "BOB@example.com"})"), 409,
               "EMAIL_TAKEN");
  const auto bad = send(verb::patch, path, root.access, R"({"role": "owner", "is_active": 1})");
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(field_locs(bad), (std::set<std::string>{"body.role", "body.is_active"}));
  expect_error(send(verb::patch, "/users/" + std::string(kNoOne), root.access, "{}"), 404,
               "USER_NOT_FOUND");
}

TEST_F(Handlers, DeactivatingAUserEndsTheirSessions) {
  const Tokens root = admin();
  const Tokens ada = register_user("ada@example.com");
  const auto res =
      send(verb::patch, "/users/" + id_of(ada), root.access, R"({"is_active": false})");
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_FALSE(body_of(res).at("is_active").as_bool());
  expect_error(send(verb::get, "/users/me", ada.access), 401, "INVALID_TOKEN");
}

TEST_F(Handlers, TheLastActiveAdminIs409LastAdmin) {
  const Tokens root = admin();
  const std::string path = "/users/" + id_of(root);
  expect_error(send(verb::patch, path, root.access, R"({"role": "user"})"), 409, "LAST_ADMIN");
  expect_error(send(verb::patch, path, root.access, R"({"is_active": false})"), 409, "LAST_ADMIN");
  expect_error(send(verb::delete_, path, root.access), 409, "LAST_ADMIN");
  EXPECT_EQ(send(verb::get, "/users/me", root.access).result_int(), 200);
}

TEST_F(Handlers, DeleteIs204ThenTheUserIsGone) {
  const Tokens root = admin();
  const Tokens ada = register_user("ada@example.com");
  const std::string path = "/users/" + id_of(ada);
  const auto res = send(verb::delete_, path, root.access);
  EXPECT_EQ(res.result_int(), 204);
  EXPECT_TRUE(res.body().empty());
  expect_error(send(verb::get, path, root.access), 404, "USER_NOT_FOUND");
  expect_error(send(verb::delete_, path, root.access), 404, "USER_NOT_FOUND");
  expect_error(send(verb::get, "/users/me", ada.access), 401, "INVALID_TOKEN");
}

TEST_F(Handlers, StatsCountUsersActiveUsersAndAdmins) {
  const Tokens root = admin();
  const Tokens ada = register_user("ada@example.com");
  register_user("bob@example.com");
  send(verb::patch, "/users/" + id_of(ada), root.access, R"({"is_active": false})");
  const auto res = send(verb::get, "/users/stats", root.access);
  EXPECT_EQ(res.result_int(), 200);
  const json::value stats = body_of(res);
  EXPECT_EQ(stats.as_object().size(), 3U);
  EXPECT_EQ(stats.at("total").as_int64(), 3);
  EXPECT_EQ(stats.at("active").as_int64(), 2);
  EXPECT_EQ(stats.at("admins").as_int64(), 1);
}

// --- the router
// -----------------------------------------------------------------------------------

TEST_F(Handlers, AnUnknownPathIs404) {
  expect_error(send(verb::get, "/nowhere"), 404, "NOT_FOUND");
  expect_error(send(verb::post, "/auth/nowhere"), 404, "NOT_FOUND");
}

TEST_F(Handlers, AKnownPathWithAnotherMethodIs405WithAllow) {
  const auto login = send(verb::get, "/auth/login");
  expect_error(login, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(login[bhttp::field::allow], "POST");
  const auto list = send(verb::put, "/users/");
  expect_error(list, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(list[bhttp::field::allow], "GET, POST");
  // /users/me is its own path, not an {id}: only GET, whatever /users/{id} allows.
  const auto me = send(verb::delete_, "/users/me");
  expect_error(me, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(me[bhttp::field::allow], "GET");
  const auto one = send(verb::post, "/users/" + std::string(kNoOne));
  expect_error(one, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(allowed(one), (std::set<std::string>{"GET", "PATCH", "DELETE"}));
}

}  // namespace
}  // namespace gh
