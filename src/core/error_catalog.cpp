#include <array>

#include "core/error_code.hpp"

namespace gh {
namespace {

using enum ErrorCode;

// One row per error. Two rows may share a wire code when they are one error to a client
// but two causes worth telling apart in the document (a field error, JSON that does not
// parse).
constexpr std::array kCatalog{
    ErrorSpec{bad_request, "BAD_REQUEST", 400, "Malformed HTTP request"},
    ErrorSpec{cors_origin_not_allowed, "CORS_ORIGIN_NOT_ALLOWED", 400, "Origin not allowed"},
    ErrorSpec{unsupported_grant_type, "UNSUPPORTED_GRANT_TYPE", 400,
              "grant_type must be password or refresh_token"},
    ErrorSpec{invalid_or_expired_token, "INVALID_OR_EXPIRED_TOKEN", 400,
              "The link is invalid, has expired or was already used; ask for a new one"},
    ErrorSpec{invalid_code, "INVALID_CODE", 400,
              "The code is wrong, expired or already used; enter the current one"},
    ErrorSpec{not_authenticated, "NOT_AUTHENTICATED", 401, "Not authenticated"},
    ErrorSpec{invalid_token, "INVALID_TOKEN", 401, "Invalid or expired token"},
    ErrorSpec{invalid_credentials, "INVALID_CREDENTIALS", 401, "Incorrect email or password"},
    // The second step of a login: a wrong code there is a failed login (401), where a wrong
    // code at enrolment or removal is a wrong field of a signed-in request (400).
    ErrorSpec{mfa_code_rejected, "INVALID_CODE", 401,
              "The code is wrong or was already used; enter the current one"},
    ErrorSpec{forbidden, "FORBIDDEN", 403, "Insufficient permissions"},
    ErrorSpec{email_not_verified, "EMAIL_NOT_VERIFIED", 403,
              "Verify your email address first: follow the link in the mail we sent"},
    ErrorSpec{mfa_required, "MFA_REQUIRED", 403,
              "Enter a code from your authenticator app: POST /auth/mfa/verify with this "
              "mfa_token"},
    ErrorSpec{aal2_required, "AAL2_REQUIRED", 403,
              "This needs a session signed in with the second factor; sign in again with it"},
    ErrorSpec{mfa_enrollment_required, "MFA_ENROLLMENT_REQUIRED", 403,
              "Set up a second factor first: POST /auth/mfa/totp"},
    ErrorSpec{not_found, "NOT_FOUND", 404, "Not found"},
    ErrorSpec{user_not_found, "USER_NOT_FOUND", 404, "No user with that id"},
    ErrorSpec{session_not_found, "SESSION_NOT_FOUND", 404, "No such session"},
    ErrorSpec{key_not_found, "KEY_NOT_FOUND", 404, "No signing key with that kid"},
    ErrorSpec{mfa_factor_not_found, "MFA_FACTOR_NOT_FOUND", 404,
              "No TOTP factor is waiting for confirmation; start with POST /auth/mfa/totp"},
    ErrorSpec{method_not_allowed, "METHOD_NOT_ALLOWED", 405, "Method not allowed"},
    ErrorSpec{email_taken, "EMAIL_TAKEN", 409, "Email already registered"},
    ErrorSpec{mfa_already_enabled, "MFA_ALREADY_ENABLED", 409,
              "A TOTP factor is already enabled; remove it first"},
    ErrorSpec{last_admin, "LAST_ADMIN", 409, "This change would leave no active admin"},
    ErrorSpec{key_not_propagated, "KEY_NOT_PROPAGATED", 409,
              "The key has not been published long enough for verifiers to have it; wait, or "
              "use ?force=true"},
    ErrorSpec{key_still_in_use, "KEY_STILL_IN_USE", 409,
              "Tokens this key signed may not have expired yet; wait, or use ?force=true"},
    ErrorSpec{active_key, "ACTIVE_KEY", 409,
              "The active key cannot be revoked or deleted; activate another key first"},
    ErrorSpec{key_revoked, "KEY_REVOKED", 409, "A revoked key never signs again"},
    ErrorSpec{key_not_revoked, "KEY_NOT_REVOKED", 409, "Only a revoked key can be deleted"},
    ErrorSpec{payload_too_large, "PAYLOAD_TOO_LARGE", 413, "Request body is too large"},
    ErrorSpec{unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE", 415,
              "Content-Type must be application/json"},
    ErrorSpec{validation_error, "VALIDATION_ERROR", 422, "Request validation failed"},
    ErrorSpec{malformed_json, "VALIDATION_ERROR", 422, "Request body is not valid JSON"},
    ErrorSpec{rate_limited, "RATE_LIMITED", 429, "Too many requests, slow down"},
    ErrorSpec{too_many_login_attempts, "TOO_MANY_LOGIN_ATTEMPTS", 429,
              "Too many failed logins, try again later"},
    ErrorSpec{headers_too_large, "HEADERS_TOO_LARGE", 431, "Request header fields are too large"},
    ErrorSpec{internal_error, "INTERNAL_ERROR", 500, "An unexpected error occurred"},
    ErrorSpec{service_unavailable, "SERVICE_UNAVAILABLE", 503, "Service temporarily unavailable"},
    ErrorSpec{rate_limit_unavailable, "RATE_LIMIT_UNAVAILABLE", 503,
              "Rate limiting is unavailable, try again"},
    ErrorSpec{email_unavailable, "EMAIL_UNAVAILABLE", 503,
              "This service cannot send mail: no mail server is configured"},
};

// The table is indexed by the enum: a row out of place is a build error, not a wrong code.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kCatalog.size(); ++i)
    if (static_cast<std::size_t>(kCatalog[i].id) != i) return false;
  return true;
}
static_assert(in_enum_order(), "kCatalog rows must follow the order of ErrorCode");
static_assert(kCatalog.size() == static_cast<std::size_t>(email_unavailable) + 1,
              "every ErrorCode needs a row in kCatalog");

}  // namespace

const ErrorSpec& error_spec(ErrorCode id) {
  return kCatalog[static_cast<std::size_t>(id)];
}

std::span<const ErrorSpec> error_catalog() {
  return kCatalog;
}

}  // namespace gh
