#include "schemas/mfa.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cctype>
#include <optional>

#include "schemas/auth.hpp"
#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"

namespace gh::schemas {

namespace {

// A recovery code as typed: "xxxxx-xxxxx", in any case, perhaps spaced.
constexpr std::size_t kMaxRecoveryCodeLength = 32;

// The field `code` when present and six digits; a field error otherwise.
std::optional<std::string> read_code(FieldReader& r, bool required) {
  auto code = r.string("code", required);
  const bool digits =
      code && code->size() == 6 &&
      std::all_of(code->begin(), code->end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (code && !digits) r.fail("code", "Expected the six digits the authenticator app shows");
  return code;
}

boost::json::object recovery_codes_property() {
  return {{"type", "array"},
          {"minItems", 10},
          {"maxItems", 10},
          {"items", {{"type", "string"}, {"examples", boost::json::array{"k7xq2-mz4pa"}}}}};
}

}  // namespace

std::string decode_mfa_code(const boost::json::value& body) {
  FieldReader r(body);
  auto code = read_code(r, true);
  r.finish();
  return *code;
}

services::SecondStep decode_second_step(const boost::json::value& body) {
  FieldReader r(body);
  auto token = r.string("mfa_token");
  if (token && (token->empty() || token->size() > kMaxTokenLength))
    r.fail("mfa_token", "Expected the mfa_token of the login's MFA_REQUIRED answer");
  auto code = read_code(r, false);
  auto recovery = r.string("recovery_code", false);
  if (recovery && (recovery->empty() || recovery->size() > kMaxRecoveryCodeLength))
    r.fail("recovery_code", "Expected one of the recovery codes, as xxxxx-xxxxx");
  if (!r.has_errors() && code.has_value() == recovery.has_value())
    r.fail("code", "Send either code or recovery_code, not both and not neither");
  r.finish();
  return {std::move(*token), code.value_or(""), recovery.value_or("")};
}

boost::json::value encode_recovery_codes(const std::vector<std::string>& codes) {
  boost::json::array out;
  for (const auto& code : codes) out.emplace_back(code);
  return boost::json::object{{"recovery_codes", std::move(out)}};
}

boost::json::value encode(const services::Enrollment& e) {
  return boost::json::object{
      {"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", e.qr_svg}};
}

boost::json::value encode(const services::Confirmation& c) {
  boost::json::object out = encode(c.pair).as_object();
  boost::json::array codes;
  for (const auto& code : c.recovery_codes) codes.emplace_back(code);
  out["recovery_codes"] = std::move(codes);
  return out;
}

void describe_mfa_schemas(Catalog& c) {
  c.schemas["MfaCode"] = object_schema("A code from the authenticator app",
                                       {{"code",
                                         {{"type", "string"},
                                          {"pattern", "^[0-9]{6}$"},
                                          {"examples", boost::json::array{"123456"}}}}},
                                       {"code"});
  c.schemas["TotpEnrollment"] = object_schema(
      "A pending TOTP factor: add it to an authenticator app (scan the QR code or type the "
      "secret), then confirm it with a first code",
      {{"secret", {{"type", "string"}, {"description", "Base32 (RFC 4648), no padding"}}},
       {"otpauth_uri",
        {{"type", "string"}, {"description", "otpauth://totp/...: what the QR code holds"}}},
       {"qr_svg", {{"type", "string"}, {"description", "The QR code as an SVG document"}}}},
      {"secret", "otpauth_uri", "qr_svg"});
  auto confirmed = c.schemas.at("TokenResponse").as_object();
  confirmed["description"] =
      "The factor is on: ten single-use recovery codes (shown once: keep them somewhere safe) "
      "and a new pair at aal2; every other session has ended";
  confirmed["required"].as_array().emplace_back("recovery_codes");
  confirmed["properties"].as_object()["recovery_codes"] = recovery_codes_property();
  c.schemas["MfaConfirmation"] = std::move(confirmed);
  c.schemas["RecoveryCodes"] = object_schema(
      "Ten new single-use recovery codes (shown once); the earlier ones no longer work",
      {{"recovery_codes", recovery_codes_property()}}, {"recovery_codes"});
  auto verify = object_schema(
      "The login's second step: its mfa_token and a code from the authenticator app, or one of "
      "the recovery codes (exactly one of the two)",
      {{"mfa_token", token_property("The mfa_token of the login's 403 MFA_REQUIRED")},
       {"code", {{"type", "string"}, {"pattern", "^[0-9]{6}$"}}},
       {"recovery_code",
        {{"type", "string"},
         {"minLength", 1},
         {"maxLength", kMaxRecoveryCodeLength},
         {"examples", boost::json::array{"k7xq2-mz4pa"}}}}},
      {"mfa_token"});
  boost::json::array one_of;
  one_of.push_back(boost::json::object{{"required", boost::json::array{"code"}}});
  one_of.push_back(boost::json::object{{"required", boost::json::array{"recovery_code"}}});
  verify["oneOf"] = std::move(one_of);
  c.schemas["MfaVerify"] = std::move(verify);
}

}  // namespace gh::schemas
