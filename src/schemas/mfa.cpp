#include "schemas/mfa.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cctype>

#include "schemas/auth.hpp"
#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"

namespace gh::schemas {

std::string decode_mfa_code(const boost::json::value& body) {
  FieldReader r(body);
  auto code = r.string("code");
  const bool digits =
      code && code->size() == 6 &&
      std::all_of(code->begin(), code->end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (code && !digits) r.fail("code", "Expected the six digits the authenticator app shows");
  r.finish();
  return *code;
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
  confirmed["properties"].as_object()["recovery_codes"] = {
      {"type", "array"},
      {"minItems", 10},
      {"maxItems", 10},
      {"items", {{"type", "string"}, {"examples", boost::json::array{"k7xq2-mz4pa"}}}}};
  c.schemas["MfaConfirmation"] = std::move(confirmed);
}

}  // namespace gh::schemas
