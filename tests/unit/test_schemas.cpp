#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "core/api_error.hpp"
#include "schemas/auth.hpp"
#include "schemas/mfa.hpp"
#include "schemas/user.hpp"

namespace gh::schemas {
namespace {

boost::json::value json(std::string_view text) {
  return boost::json::parse(text);
}

// The locs of the 422's fields, e.g. {"body.email", "body.password"}; empty when it passed.
template <class F>
std::vector<std::string> failures(F&& decode) {
  try {
    decode();
    return {};
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.code(), "VALIDATION_ERROR");
    std::vector<std::string> out;
    for (const auto& f : e.fields()) {
      std::string loc;
      for (const auto& part : f.loc) loc += (loc.empty() ? "" : ".") + part;
      out.push_back(loc);
    }
    return out;
  }
}

using Locs = std::vector<std::string>;

TEST(RegisterSchema, LowerCasesTheEmail) {
  auto c = decode_register(json(R"({"email":"Me@Example.COM","password":"correct horse"})"));
  EXPECT_EQ(c.email, "me@example.com");
  EXPECT_EQ(c.password, "correct horse");
}

TEST(RegisterSchema, ReportsEveryBadFieldAtOnce) {
  EXPECT_EQ(failures([] { decode_register(json(R"({})")); }),
            (Locs{"body.email", "body.password"}));
  EXPECT_EQ(failures([] { decode_register(json(R"({"email":1,"password":"short"})")); }),
            (Locs{"body.email", "body.password"}));
}

TEST(RegisterSchema, BodyMustBeAnObject) {
  for (const char* body : {"[]", "\"x\"", "null", "3"})
    EXPECT_EQ(failures([&] { decode_register(json(body)); }), (Locs{"body"})) << body;
}

TEST(RegisterSchema, PasswordLengthIsCountedInCharacters) {
  auto body = [](const std::string& pw) {
    boost::json::object o{{"email", "a@example.com"}, {"password", pw}};
    return boost::json::value(o);
  };
  EXPECT_EQ(failures([&] { decode_register(body(std::string(7, 'x'))); }), (Locs{"body.password"}));
  EXPECT_TRUE(failures([&] { decode_register(body(std::string(8, 'x'))); }).empty());
  EXPECT_TRUE(failures([&] { decode_register(body(std::string(128, 'x'))); }).empty());
  EXPECT_EQ(failures([&] { decode_register(body(std::string(129, 'x'))); }),
            (Locs{"body.password"}));
  // Eight two-byte characters are eight characters, not sixteen.
  std::string eight_umlauts;
  for (int i = 0; i < 8; ++i) eight_umlauts += "\xc3\xa4";
  EXPECT_TRUE(failures([&] { decode_register(body(eight_umlauts)); }).empty());
}

TEST(RegisterSchema, RefusesMalformedEmails) {
  for (const char* email : {"plain", "a@b", "@example.com", "a@.com", "a..b@example.com",
                            "a@example..com", "a b@example.com", "a@-x.com", "a@1.2.3.4"}) {
    boost::json::object o{{"email", email}, {"password", "correct horse"}};
    EXPECT_EQ(failures([&] { decode_register(o); }), (Locs{"body.email"})) << email;
  }
}

TEST(LoginSchema, AcceptsShortLegacyPasswordsButNotEmptyOrHuge) {
  EXPECT_TRUE(
      failures([] { decode_login(json(R"({"email":"a@example.com","password":"x"})")); }).empty());
  EXPECT_EQ(failures([] { decode_login(json(R"({"email":"a@example.com","password":""})")); }),
            (Locs{"body.password"}));
  boost::json::object o{{"email", "a@example.com"}, {"password", std::string(129, 'x')}};
  EXPECT_EQ(failures([&] { decode_login(o); }), (Locs{"body.password"}));
}

TEST(RefreshSchema, NeedsANonEmptyStringToken) {
  EXPECT_EQ(decode_refresh(json(R"({"refresh_token":"a.b.c"})")).refresh_token, "a.b.c");
  EXPECT_EQ(failures([] { decode_refresh(json(R"({"refresh_token":""})")); }),
            (Locs{"body.refresh_token"}));
  EXPECT_EQ(failures([] { decode_refresh(json(R"({"refresh_token":5})")); }),
            (Locs{"body.refresh_token"}));
  EXPECT_EQ(failures([] { decode_refresh(json(R"({})")); }), (Locs{"body.refresh_token"}));
}

TEST(PasswordChangeSchema, NewPasswordFollowsThePolicy) {
  EXPECT_EQ(failures([] {
              decode_password_change(json(R"({"current_password":"old","new_password":"short"})"));
            }),
            (Locs{"body.new_password"}));
  auto p = decode_password_change(
      json(R"({"current_password":"old","new_password":"long enough now"})"));
  EXPECT_EQ(p.current_password, "old");
  EXPECT_EQ(p.new_password, "long enough now");
}

TEST(UserPatchSchema, EveryFieldIsOptional) {
  auto empty = decode_user_patch(json("{}"));
  EXPECT_FALSE(empty.email);
  EXPECT_FALSE(empty.role);
  EXPECT_FALSE(empty.is_active);
  auto all =
      decode_user_patch(json(R"({"email":"New@Example.com","role":"admin","is_active":false})"));
  EXPECT_EQ(all.email, "new@example.com");
  EXPECT_EQ(all.role, models::Role::admin);
  EXPECT_EQ(all.is_active, false);
}

TEST(UserPatchSchema, RefusesBadValuesAndNulls) {
  EXPECT_EQ(failures([] { decode_user_patch(json(R"({"role":"root"})")); }), (Locs{"body.role"}));
  EXPECT_EQ(failures([] { decode_user_patch(json(R"({"is_active":"yes"})")); }),
            (Locs{"body.is_active"}));
  EXPECT_EQ(
      failures([] { decode_user_patch(json(R"({"email":null,"role":null,"is_active":null})")); }),
      (Locs{"body.email", "body.role", "body.is_active"}));
}

TEST(PageSchema, DefaultsAndBounds) {
  auto page = decode_page(std::nullopt, std::nullopt);
  EXPECT_EQ(page.skip, 0);
  EXPECT_EQ(page.limit, 50);
  EXPECT_EQ(decode_page("10", "100").limit, 100);
  EXPECT_EQ(failures([] { decode_page("-1", std::nullopt); }), (Locs{"query.skip"}));
  EXPECT_EQ(failures([] { decode_page(std::nullopt, "0"); }), (Locs{"query.limit"}));
  EXPECT_EQ(failures([] { decode_page(std::nullopt, "101"); }), (Locs{"query.limit"}));
  EXPECT_EQ(failures([] { decode_page("ten", std::nullopt); }), (Locs{"query.skip"}));
  EXPECT_EQ(failures([] { decode_page("99999999999999999999", std::nullopt); }),
            (Locs{"query.skip"}));
}

TEST(UserIdSchema, CanonicalUuidOr422) {
  EXPECT_EQ(decode_user_id("0190C3A4-1B2C-7D3E-8F40-123456789ABC"),
            "0190c3a4-1b2c-7d3e-8f40-123456789abc");
  EXPECT_EQ(failures([] { decode_user_id("42"); }), (Locs{"path.id"}));
  EXPECT_EQ(failures([] { decode_user_id("0190c3a4-1b2c-7d3e-8f40-123456789abcd"); }),
            (Locs{"path.id"}));
}

TEST(TokenSchema, EncodesTheReferenceShape) {
  auto v = encode(TokenPair{"a", "r"});
  EXPECT_EQ(v, json(R"({"access_token":"a","refresh_token":"r","token_type":"bearer"})"));
}

TEST(MfaSchemas, ASecondStepTakesACodeOrARecoveryCodeNeverBothNorNeither) {
  auto step = decode_second_step(json(R"({"mfa_token":"t","code":"012345"})"));
  EXPECT_EQ(step.mfa_token, "t");
  EXPECT_EQ(step.code, "012345");
  EXPECT_TRUE(step.recovery_code.empty());
  step = decode_second_step(json(R"({"mfa_token":"t","recovery_code":"ABCDE fghij"})"));
  EXPECT_TRUE(step.code.empty());
  EXPECT_EQ(step.recovery_code, "ABCDE fghij");  // normalised where it is compared
  EXPECT_EQ(failures([] { decode_second_step(json(R"({"mfa_token":"t"})")); }), Locs{"body.code"});
  EXPECT_EQ(failures([] {
              decode_second_step(json(R"({"mfa_token":"t","code":"123456","recovery_code":"a"})"));
            }),
            Locs{"body.code"});
  EXPECT_EQ(failures([] { decode_second_step(json(R"({"code":"12345"})")); }),
            (Locs{"body.mfa_token", "body.code"}));
  EXPECT_EQ(failures([] {
              decode_second_step(
                  json(R"({"mfa_token":"t","recovery_code":")" + std::string(33, 'a') + R"("})"));
            }),
            Locs{"body.recovery_code"});
}

TEST(MfaSchemas, ACodeIsSixDigits) {
  EXPECT_EQ(decode_mfa_code(json(R"({"code":"000123"})")), "000123");
  for (const char* bad : {R"({"code":"12345"})", R"({"code":"1234567"})", R"({"code":"12a456"})",
                          R"({"code":123456})", R"({})"})
    EXPECT_EQ(failures([&] { decode_mfa_code(json(bad)); }), Locs{"body.code"}) << bad;
}

}  // namespace
}  // namespace gh::schemas
