#pragma once
// The second factor (API.md part two, "Multi-factor authentication"): enrolling a TOTP
// factor, the login's second step, recovery codes and removal. The seed is sealed at rest (a
// key derived from SECRET_KEY for the purpose, bound to the user); recovery codes and
// mfa_tokens are kept as keyed hashes; a code's time step is taken once.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "db/mfa_repository.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "services/audit_log.hpp"
#include "services/auth_service.hpp"
#include "services/crypto/key_sealer.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/mfa_types.hpp"

namespace gh::services {

struct MfaDeps {
  db::MfaRepository& mfa;
  db::SessionRepository& sessions;
  db::UserRepository& users;
  const crypto::KeySealer& sealer;              // purpose "totp-seed"
  const crypto::TokenHasher& code_hasher;       // purpose "recovery-code"
  const crypto::TokenHasher& challenge_hasher;  // purpose "mfa-challenge": AuthDeps' too
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
  // A login's second step: a pair at aal2 for the right code or an unused recovery code.
  // 401 INVALID_TOKEN for an mfa_token that is spent, expired or has had its 5 tries; 401
  // INVALID_CODE (a failed login of the account) for a wrong code; 429 from the throttles.
  // `client` as for AuthService::login.
  boost::asio::awaitable<TokenPair> verify(const SecondStep& step, std::string_view client,
                                           const ClientInfo& from);
  // Ten new recovery codes; the old ones stop working. 404 MFA_FACTOR_NOT_FOUND without a
  // factor.
  boost::asio::awaitable<std::vector<std::string>> regenerate_recovery_codes(
      const Principal& who, const ClientInfo& from);
  // Removes the caller's factor on a current code, a guess under the login throttles (so a
  // stolen session cannot try codes without end). 400 INVALID_CODE, 429. `client` as for
  // AuthService::login.
  boost::asio::awaitable<void> disable(const Principal& who, const std::string& code,
                                       std::string_view client, const ClientInfo& from);
  // An admin's reset: the user's factor and recovery codes are gone, their sessions end. 404
  // USER_NOT_FOUND.
  boost::asio::awaitable<void> reset(const Actor& admin, const std::string& user_id);

 private:
  // The enabled factor's seed, opened; nullopt without an enabled factor.
  boost::asio::awaitable<std::optional<std::string>> enabled_seed(const std::string& user_id);
  // Takes the step of `code` for the user's enabled factor: true once per step.
  boost::asio::awaitable<bool> take_code(const std::string& user_id, std::string_view code);
  boost::asio::awaitable<bool> take_recovery_code(const models::User& user,
                                                  std::string_view recovery_code,
                                                  const ClientInfo& from);
  std::string open_seed(const db::MfaFactor& factor) const;
  std::vector<std::string> new_recovery_codes(std::vector<std::string>& hashes) const;

  MfaDeps d_;
};

}  // namespace gh::services
