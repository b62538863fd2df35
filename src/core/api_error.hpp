#pragma once
// The one error type that travels up from any layer. It names a catalog entry
// (core/error_code.hpp); exactly one place (http/error_envelope) turns it into the JSON
// envelope and adds the headers its kind needs.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error_code.hpp"

namespace gh {

struct FieldError {
  std::vector<std::string> loc;  // e.g. {"body", "email"}
  std::string msg;
};

class ApiError : public std::runtime_error {
 public:
  // `detail` replaces the catalog's default when the cause says more (which field, which
  // header); it is shown to clients, so it never names an internal.
  explicit ApiError(ErrorCode id, std::string detail = {}, std::vector<FieldError> fields = {})
      : std::runtime_error(detail.empty() ? std::string(error_spec(id).detail) : detail),
        id_(id),
        detail_(what()),
        fields_(std::move(fields)) {}

  ErrorCode id() const noexcept { return id_; }
  int status() const noexcept { return error_spec(id_).status; }
  std::string_view code() const noexcept { return error_spec(id_).code; }
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<FieldError>& fields() const noexcept { return fields_; }

  // Seconds before a retry can succeed; the envelope sends it as Retry-After on a 429 or
  // 503 (1 when unset).
  std::optional<long long> retry_after;
  // Headers only the raiser knows (Allow of a 405, RateLimit-* of a 429).
  std::vector<std::pair<std::string, std::string>> headers;
  // Members of the error object beyond code and detail, which a client needs to go on
  // (MFA_REQUIRED's mfa_token). Never an internal: they are sent as they are.
  std::vector<std::pair<std::string, std::string>> extra;

 private:
  ErrorCode id_;
  std::string detail_;
  std::vector<FieldError> fields_;
};

inline ApiError service_unavailable(std::string detail = {}) {
  return ApiError(ErrorCode::service_unavailable, std::move(detail));
}

}  // namespace gh
