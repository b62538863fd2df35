#pragma once
// Every error the API can answer, declared once in the catalog (core/error_catalog.cpp) with
// its wire code, status and default detail. Code raises an ErrorCode; the envelope, the
// OpenAPI document and the README's error table all read the same catalog.
#include <cstdint>
#include <span>
#include <string_view>

namespace gh {

enum class ErrorCode : std::uint8_t {
  bad_request,
  cors_origin_not_allowed,
  unsupported_grant_type,
  invalid_or_expired_token,
  invalid_code,
  not_authenticated,
  invalid_token,
  invalid_credentials,
  mfa_code_rejected,
  forbidden,
  email_not_verified,
  mfa_required,
  aal2_required,
  mfa_enrollment_required,
  not_found,
  user_not_found,
  session_not_found,
  key_not_found,
  mfa_factor_not_found,
  method_not_allowed,
  email_taken,
  mfa_already_enabled,
  last_admin,
  key_not_propagated,
  key_still_in_use,
  active_key,
  key_revoked,
  key_not_revoked,
  payload_too_large,
  unsupported_media_type,
  validation_error,
  malformed_json,
  rate_limited,
  too_many_login_attempts,
  headers_too_large,
  internal_error,
  service_unavailable,
  rate_limit_unavailable,
  email_unavailable,
};

struct ErrorSpec {
  ErrorCode id;
  std::string_view code;  // UPPER_SNAKE, stable: what clients switch on
  int status;
  std::string_view detail;  // the default, for people
};

const ErrorSpec& error_spec(ErrorCode id);
// Every entry, in the order of ErrorCode.
std::span<const ErrorSpec> error_catalog();

}  // namespace gh
