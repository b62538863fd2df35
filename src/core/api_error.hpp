#pragma once
// The one error type that travels up from any layer. Exactly one place
// (http/error_envelope) turns it into the JSON envelope.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gh {

struct FieldError {
  std::vector<std::string> loc;  // e.g. {"body", "email"}
  std::string msg;
};

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, std::string detail, std::vector<FieldError> fields = {})
      : std::runtime_error(detail),
        status_(status),
        code_(std::move(code)),
        detail_(std::move(detail)),
        fields_(std::move(fields)) {}

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<FieldError>& fields() const noexcept { return fields_; }

  // Extra response headers some errors need (Allow, Retry-After, WWW-Authenticate).
  std::vector<std::pair<std::string, std::string>> headers;

 private:
  int status_;
  std::string code_;
  std::string detail_;
  std::vector<FieldError> fields_;
};

inline ApiError service_unavailable(std::string detail = "Service temporarily unavailable") {
  ApiError e(503, "SERVICE_UNAVAILABLE", std::move(detail));
  e.headers.emplace_back("Retry-After", "1");
  return e;
}

}  // namespace gh
