// The error catalog is the one place an error is declared: its rows are well formed, the
// envelope adds the headers an error's kind obliges, and the README's table is the catalog's.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "core/api_error.hpp"
#include "http/error_envelope.hpp"

namespace gh {
namespace {

TEST(ErrorCatalog, EveryRowIsStableUpperSnakeWithAnErrorStatusAndADetail) {
  const std::regex upper_snake("[A-Z][A-Z0-9_]*");
  std::map<std::string, int> status_of;
  for (const auto& e : error_catalog()) {
    SCOPED_TRACE(std::string(e.code));
    EXPECT_TRUE(std::regex_match(std::string(e.code), upper_snake));
    EXPECT_GE(e.status, 400);
    EXPECT_LE(e.status, 599);
    EXPECT_FALSE(e.detail.empty());
    // A client switches on the code: one code, one status. The one exception is the
    // contract's: INVALID_CODE is 400 for a signed-in user's code (a wrong field) and 401 at
    // a login's second step (a failed login).
    auto [it, fresh] = status_of.emplace(e.code, e.status);
    if (!fresh && e.code != "INVALID_CODE") EXPECT_EQ(it->second, e.status);
  }
}

TEST(ErrorCatalog, AnErrorTakesItsCodeStatusAndDefaultDetailFromTheCatalog) {
  ApiError e(ErrorCode::last_admin);
  EXPECT_EQ(e.status(), 409);
  EXPECT_EQ(e.code(), "LAST_ADMIN");
  EXPECT_EQ(e.detail(), "This change would leave no active admin");
  ApiError told(ErrorCode::unsupported_media_type, "Content-Encoding must be identity");
  EXPECT_EQ(told.detail(), "Content-Encoding must be identity");
  EXPECT_EQ(told.code(), "UNSUPPORTED_MEDIA_TYPE");
}

TEST(ErrorEnvelope, A401NamesTheBearerScheme) {
  for (auto id :
       {ErrorCode::not_authenticated, ErrorCode::invalid_token, ErrorCode::invalid_credentials}) {
    auto res = http::error_response(ApiError(id));
    EXPECT_EQ(res.result_int(), 401);
    EXPECT_EQ(res[http::bhttp::field::www_authenticate], "Bearer");
  }
  auto forbidden = http::error_response(ApiError(ErrorCode::forbidden));
  EXPECT_EQ(forbidden.count(http::bhttp::field::www_authenticate), 0u);
}

TEST(ErrorEnvelope, A429Or503SaysWhenToComeBack) {
  ApiError limited(ErrorCode::too_many_login_attempts);
  limited.retry_after = 42;
  EXPECT_EQ(http::error_response(limited)[http::bhttp::field::retry_after], "42");
  auto down = http::error_response(service_unavailable("Database unavailable"));
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(down[http::bhttp::field::retry_after], "1");
  EXPECT_NE(down.body().find("Database unavailable"), std::string::npos);
  auto conflict = http::error_response(ApiError(ErrorCode::email_taken));
  EXPECT_EQ(conflict.count(http::bhttp::field::retry_after), 0u);
}

TEST(ErrorEnvelope, TheBodyCarriesCodeDetailAndFields) {
  auto res = http::error_response(
      ApiError(ErrorCode::validation_error, {}, {FieldError{{"body", "email"}, "Not an email"}}));
  EXPECT_EQ(res.result_int(), 422);
  EXPECT_EQ(res.body(),
            R"({"error":{"code":"VALIDATION_ERROR","detail":"Request validation failed",)"
            R"("fields":[{"loc":["body","email"],"msg":"Not an email"}]}})");
}

// The README's table of error codes, as the catalog writes it: one row per code.
std::string expected_table() {
  std::ostringstream out;
  out << "| code | status | default detail |\n| --- | --- | --- |\n";
  std::map<std::string_view, bool> seen;
  for (const auto& e : error_catalog()) {
    if (seen[e.code]) continue;
    seen[e.code] = true;
    out << "| `" << e.code << "` | " << e.status << " | " << e.detail << " |\n";
  }
  return out.str();
}

TEST(ErrorCatalog, TheReadmeTableIsTheCatalog) {
  std::ifstream in(GH_SOURCE_DIR "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream readme;
  readme << in.rdbuf();
  EXPECT_NE(readme.str().find(expected_table()), std::string::npos)
      << "README.md's error table differs from the catalog (src/core/error_catalog.cpp). "
         "Replace it with:\n"
      << expected_table();
}

}  // namespace
}  // namespace gh
