#pragma once
// Registration, login, refresh rotation, logout and password change: the business rules
// of sessions. Throws ApiError for expected failures; knows nothing of HTTP requests.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "core/api_error.hpp"
#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "core/security_counters.hpp"
#include "db/mfa_repository.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "services/audit_log.hpp"
#include "services/auth_types.hpp"
#include "services/client_info.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/device_tokens.hpp"
#include "services/login_attempts.hpp"
#include "services/mail_queue.hpp"
#include "services/token_service.hpp"

namespace gh::services {

// A login's tokens, and a device token proving this login to the next (device_tokens.hpp).
struct LoginResult {
  TokenPair pair;
  std::string device_token;
};

// Who is calling: the user behind a valid access token, and the session it belongs to.
struct Principal {
  models::User user;
  std::string session_id;
  int aal = 1;  // the access token's assurance level
};

struct AuthDeps {
  db::UserRepository& users;
  db::SessionRepository& sessions;
  crypto::PasswordHasher& hasher;
  const TokenService& tokens;
  const Clock& clock;
  // Failed logins, shared by every instance with Redis: per account and client address (the
  // tight limit), per account from every address (reached only by a distributed attack),
  // and per client address over every account (password spraying).
  RateLimiter& login_failures;
  RateLimiter& account_failures;
  RateLimiter& address_failures;
  const DeviceTokens& devices;
  AuditLog& audit;
  SecurityCounters* counters = nullptr;  // for /metrics, when there is one
  MailPolicy mail{};                     // a verification mail with each sign-up, when on
  // A login of a user with a second factor stops once the password is right: a challenge
  // (its mfa_token stored as this keyed hash) that POST /auth/mfa/verify answers.
  db::MfaRepository* mfa = nullptr;
  const crypto::TokenHasher* challenge_hasher = nullptr;
};

class AuthService {
 public:
  explicit AuthService(AuthDeps deps) : d_(deps) {}

  // `from`: where the session it opens is used from (its address and User-Agent).
  boost::asio::awaitable<TokenPair> register_user(Credentials creds, const ClientInfo& from);
  // `client` is the caller's address group (http::address_group): failures are throttled per
  // account and address, per account, and per address. `from` as for register_user.
  // A valid `device_token` of the account's (from an earlier login) takes the login out of
  // the account-wide limit and counts its failures under the device, not the address.
  boost::asio::awaitable<LoginResult> login(Credentials creds, std::string_view client,
                                            const ClientInfo& from,
                                            std::string_view device_token = {});
  // A refresh is the session's latest use: `from` replaces what it recorded.
  boost::asio::awaitable<TokenPair> refresh(const std::string& refresh_token,
                                            const ClientInfo& from);
  boost::asio::awaitable<void> logout(const std::string& refresh_token, const ClientInfo& from);
  boost::asio::awaitable<void> logout_all(const Principal& who, const ClientInfo& from);
  // `client` as for login: a wrong current password counts as a failed login.
  boost::asio::awaitable<void> change_password(const Principal& who, PasswordChange change,
                                               std::string_view client, const ClientInfo& from);
  // The principal behind an access token; 401 INVALID_TOKEN when the token is bad or its
  // session has ended.
  boost::asio::awaitable<Principal> authenticate(std::string_view access_token);
  // A session for `user`, whose password was just proven (a login, an accepted invitation),
  // opened only while the stored hash is still `user.password_hash`; records last_login_at.
  // `aal` 2 when a second factor was proven too.
  boost::asio::awaitable<TokenPair> open_session(const models::User& user, const ClientInfo& from,
                                                 int aal = 1);
  // A guess at `user`'s second factor (`check`: is the code right, taking it if so), under the
  // throttles of a password guess: 429 when one has no failure left; a wrong code (false)
  // stays counted as a failed login of the account, a right one gives back what it took.
  // `client` as for login.
  boost::asio::awaitable<bool> second_factor_guess(
      const models::User& user, std::string_view client, const ClientInfo& from,
      std::function<boost::asio::awaitable<bool>()> check);

 private:
  boost::asio::awaitable<void> record_login(const std::string& user_id, std::int64_t now);
  // The MFA_REQUIRED error for `user`, whose password was right, with a new challenge's token.
  boost::asio::awaitable<ApiError> challenge(const models::User& user, const ClientInfo& from);
  // An audit event of `user_id`'s own doing (actor and subject), in `session_id`.
  models::AuditEvent own_event(models::AuditType type, models::AuditOutcome outcome,
                               const ClientInfo& from, const std::string& user_id,
                               const std::string& session_id) const;
  // A refused login (or password check): the failure event, aimed at `email`'s account.
  void audit_refused_login(const std::string& email, const ClientInfo& from, std::string reason,
                           models::AuditType type = models::AuditType::auth_login);
  // A session of `user_id` opening at `now`, used from `from`; its refresh hash comes once
  // its tokens are issued (they carry its id).
  models::Session new_session(const std::string& user_id, std::int64_t now,
                              const ClientInfo& from) const;
  // Whom the tight limit counts: the client address, or a proven device.
  struct Origin {
    std::string_view client;     // the address group, for the per-address limit
    std::string tight_key;       // the account and address, or the account and device
    bool proven_device = false;  // or a session: out of the account-wide limit
  };
  // A failure taken from each throttle ahead of the password check, and the login's place
  // among those in progress here.
  struct Budget {
    Origin origin;
    std::string email;
    LoginAttempts::Ticket ticket;
  };
  boost::asio::awaitable<Origin> origin_of(const std::string& email, std::string_view client,
                                           std::string_view device_token);
  // 429 when a throttle has no failure left (after waiting in line while logins in progress
  // here hold the rest); otherwise the budget taken.
  boost::asio::awaitable<Budget> take_budget(const std::string& email, const Origin& origin,
                                             const ClientInfo& from);
  boost::asio::awaitable<std::optional<std::pair<std::size_t, std::int64_t>>> take(Budget& budget);
  // Gives back the account's failure, and the tight one's and the address's as asked.
  boost::asio::awaitable<void> give_back(const Budget& budget, bool tight, bool address);
  boost::asio::awaitable<LoginResult> check_password(Credentials c, const Budget& budget,
                                                     const ClientInfo& from);
  // Logs, counts and audits a spent refresh token presented again (its session is revoked).
  void note_reuse(const crypto::TokenClaims& claims, const ClientInfo& from);
  // A genuine refresh token of a session that has ended, refused by `type` (a refresh or a
  // logout): a failure event naming the user and the session.
  void audit_ended_session(models::AuditType type, const crypto::TokenClaims& claims,
                           const ClientInfo& from);

  AuthDeps d_;
  LoginAttempts attempts_;
};

}  // namespace gh::services
