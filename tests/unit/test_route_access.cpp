// Every route's declared access is what the application enforces: a walk over the whole
// router table of the real application, in process (no socket), on SQLite in memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <memory>
#include <set>
#include <string>

#include "app.hpp"
#include "app_request.hpp"
#include "core/log.hpp"
#include "in_memory_settings.hpp"

namespace gh {
namespace {

namespace bhttp = http::bhttp;

// A concrete path for a template: every parameter a well-formed id of no one.
std::string concrete(std::string path) {
  for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
    path.replace(open, path.find('}', open) - open + 1, "01890a5d-ac96-774b-bcce-b302099a8057");
  }
  return path;
}

class RouteAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log::configure(log::Level::off, log::Format::json);
    app_ = std::make_unique<App>(test::in_memory_settings());
    app_->migrate_up();
    const auto tokens =
        boost::json::parse(send(bhttp::verb::post, "/auth/register", {},
                                R"({"email": "walker@example.com", "password": "walk-the-table"})")
                               .body());
    user_token_ = tokens.at("access_token").as_string().c_str();
  }
  static void TearDownTestSuite() { app_.reset(); }

  static http::Response send(bhttp::verb method, const std::string& path, const std::string& token,
                             const std::string& body = "{}") {
    return test::send(*app_, method, path, token, body);
  }

  static std::string code_of(const http::Response& res) {
    const auto body = boost::json::parse(res.body());
    return body.at("error").at("code").as_string().c_str();
  }

  static std::unique_ptr<App> app_;
  static std::string user_token_;
};

std::unique_ptr<App> RouteAccess::app_;
std::string RouteAccess::user_token_;

TEST_F(RouteAccess, EveryRouteThatIsNotPublicAnswers401WithoutAToken) {
  int guarded = 0;
  for (const auto& route : app_->pipeline().router().routes()) {
    if (route.access == http::Access::anyone) continue;
    ++guarded;
    const auto res = send(route.method, concrete(route.path), "");
    EXPECT_EQ(res.result_int(), 401) << route.method << " " << route.path;
    EXPECT_EQ(code_of(res), "NOT_AUTHENTICATED") << route.path;
    EXPECT_EQ(res[bhttp::field::www_authenticate], "Bearer") << route.path;
  }
  EXPECT_GT(guarded, 0);
}

// A route that leaves out `.access` is public: every public route is listed here, so making
// one public is a decision written twice, not a field forgotten once.
TEST_F(RouteAccess, ThePublicRoutesAreExactlyTheseOnes) {
  const std::set<std::string> expected{"POST /auth/register",
                                       "POST /auth/login",
                                       "POST /auth/refresh",
                                       "POST /auth/logout",
                                       "GET /health",
                                       "GET /health/live",
                                       "GET /health/ready",
                                       "GET /openapi.json",
                                       "GET /docs",
                                       "GET /redoc",
                                       "GET /docs/assets/{file}",
                                       "GET /metrics",
                                       "GET /.well-known/jwks.json",
                                       "POST /auth/token",
                                       "GET /.well-known/oauth-authorization-server",
                                       "POST /auth/password-reset",
                                       "POST /auth/password-reset/confirm",
                                       "POST /auth/verify-email",
                                       "POST /auth/invitation/accept",
                                       "POST /auth/mfa/verify",
                                       "GET /admin",
                                       "GET /admin/assets/{file}"};
  std::set<std::string> found;
  for (const auto& route : app_->pipeline().router().routes()) {
    if (route.access != http::Access::anyone) continue;
    found.insert(std::string(bhttp::to_string(route.method)) + " " + route.path);
  }
  EXPECT_EQ(found, expected);
}

TEST_F(RouteAccess, EveryAdminRouteAnswers403ToAUser) {
  int admin = 0;
  for (const auto& route : app_->pipeline().router().routes()) {
    if (route.access != http::Access::admin) continue;
    ++admin;
    const auto res = send(route.method, concrete(route.path), user_token_);
    EXPECT_EQ(res.result_int(), 403) << route.method << " " << route.path;
    EXPECT_EQ(code_of(res), "FORBIDDEN") << route.path;
  }
  EXPECT_GT(admin, 0);
}

TEST_F(RouteAccess, UserRoutesServeAUser) {
  for (const auto& route : app_->pipeline().router().routes()) {
    if (route.access != http::Access::user || route.method != bhttp::verb::get) continue;
    EXPECT_EQ(send(route.method, concrete(route.path), user_token_).result_int(), 200)
        << route.path;
  }
}

TEST_F(RouteAccess, PublicRoutesNeverAskForCredentialsNorFail) {
  for (const auto& route : app_->pipeline().router().routes()) {
    if (route.access != http::Access::anyone) continue;
    const int status = send(route.method, concrete(route.path), "").result_int();
    EXPECT_NE(status, 403) << route.method << " " << route.path;
    EXPECT_LT(status, 500) << route.method << " " << route.path;
  }
}

// Routes that need a session signed in with the second factor refuse an aal1 token, whatever
// the MFA policy.
TEST_F(RouteAccess, RoutesDeclaredForAal2RefuseAPasswordOnlySession) {
  int aal2 = 0;
  for (const auto& route : app_->pipeline().router().routes()) {
    if (!route.needs_aal2) continue;
    ++aal2;
    const auto res = send(route.method, concrete(route.path), user_token_);
    EXPECT_EQ(res.result_int(), 403) << route.method << " " << route.path;
    EXPECT_EQ(code_of(res), "AAL2_REQUIRED") << route.path;
  }
  EXPECT_EQ(aal2, 2);
}

// MFA=required: a user without a factor reaches only the routes declared for it, and those are
// exactly the contract's list (their profile, /auth/mfa/*, logout).
class RouteAccessUnderMfaRequired : public ::testing::Test {
 protected:
  void SetUp() override {
    log::configure(log::Level::off, log::Format::json);
    auto settings = test::in_memory_settings();
    settings.mfa = "required";
    app_ = std::make_unique<App>(std::move(settings));
    app_->migrate_up();
    const auto tokens = boost::json::parse(
        test::send(*app_, bhttp::verb::post, "/auth/register", {},
                   R"({"email": "nofactor@example.com", "password": "walk-the-table"})")
            .body());
    token_ = tokens.at("access_token").as_string().c_str();
  }

  std::unique_ptr<App> app_;
  std::string token_;
};

TEST_F(RouteAccessUnderMfaRequired, AUserWithoutAFactorReachesOnlyTheRoutesDeclaredForIt) {
  std::set<std::string> reached;
  auto routes = app_->pipeline().router().routes();
  // Logging out ends the token's session: last.
  std::stable_partition(routes.begin(), routes.end(),
                        [](const http::Route& r) { return r.path != "/auth/logout-all"; });
  for (const auto& route : routes) {
    if (route.access == http::Access::anyone) continue;
    const std::string name = std::string(bhttp::to_string(route.method)) + " " + route.path;
    const auto res = test::send(*app_, route.method, concrete(route.path), token_);
    EXPECT_NE(res.result_int(), 401) << name;
    const bool refused = res.result_int() == 403 &&
                         res.body().find("\"MFA_ENROLLMENT_REQUIRED\"") != std::string::npos;
    EXPECT_EQ(refused, !route.before_mfa_enrollment) << name;
    if (route.before_mfa_enrollment) reached.insert(name);
  }
  const std::set<std::string> expected{
      "GET /users/me",         "POST /auth/logout-all",       "POST /auth/mfa/totp",
      "DELETE /auth/mfa/totp", "POST /auth/mfa/totp/confirm", "POST /auth/mfa/recovery-codes"};
  EXPECT_EQ(reached, expected);
}

}  // namespace
}  // namespace gh
