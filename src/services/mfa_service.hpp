#pragma once
// The second factor (API.md part two, "MFA"): enrolling a TOTP factor and confirming it with a
// first code. The seed is sealed at rest (a key derived from SECRET_KEY for the purpose, bound
// to the user); recovery codes are kept as keyed hashes; a code's time step is taken once.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/mfa_repository.hpp"
#include "db/session_repository.hpp"
#include "services/audit_log.hpp"
#include "services/auth_service.hpp"
#include "services/crypto/key_sealer.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/mfa_types.hpp"

namespace gh::services {

struct MfaDeps {
  db::MfaRepository& mfa;
  db::SessionRepository& sessions;
  const crypto::KeySealer& sealer;         // purpose "totp-seed"
  const crypto::TokenHasher& code_hasher;  // purpose "recovery-code"
  AuthService& auth;
  const Clock& clock;
  AuditLog& audit;
  std::string issuer;  // the otpauth URI's issuer: what the authenticator app shows
};

class MfaService {
 public:
  explicit MfaService(MfaDeps deps) : d_(std::move(deps)) {}

  // A new pending factor (replacing a pending one); 409 MFA_ALREADY_ENABLED.
  boost::asio::awaitable<Enrollment> enroll(const Principal& who);
  // Enables the pending factor with its first code (which counts as used): ten recovery
  // codes, every session ended and a new pair at aal2. 400 INVALID_CODE, 404
  // MFA_FACTOR_NOT_FOUND.
  boost::asio::awaitable<Confirmation> confirm(const Principal& who, const std::string& code,
                                               const ClientInfo& from);

 private:
  std::vector<std::string> new_recovery_codes(std::vector<std::string>& hashes) const;

  MfaDeps d_;
};

}  // namespace gh::services
