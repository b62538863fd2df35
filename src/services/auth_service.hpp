#pragma once
// Registration, login, refresh rotation, logout and password change: the business rules
// of sessions. Throws ApiError for expected failures; knows nothing of HTTP requests.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "core/security_counters.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "schemas/auth.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/login_attempts.hpp"
#include "services/stats_cache.hpp"
#include "services/token_service.hpp"

namespace gh::services {

// Who is calling: the user behind a valid access token, and the session it belongs to.
struct Principal {
  models::User user;
  std::string session_id;
};

struct AuthDeps {
  db::UserRepository& users;
  db::SessionRepository& sessions;
  crypto::PasswordHasher& hasher;
  const TokenService& tokens;
  const Clock& clock;
  StatsCache& stats;
  RateLimiter& login_failures;           // per account; shared by every instance with Redis
  RateLimiter& address_failures;         // per client address; likewise
  SecurityCounters* counters = nullptr;  // for /metrics, when there is one
};

class AuthService {
 public:
  explicit AuthService(AuthDeps deps) : d_(deps) {}

  boost::asio::awaitable<schemas::TokenPair> register_user(schemas::Credentials creds);
  // `client` is the caller's address: failures are throttled per account and per address.
  boost::asio::awaitable<schemas::TokenPair> login(schemas::Credentials creds,
                                                   std::string_view client);
  boost::asio::awaitable<schemas::TokenPair> refresh(const std::string& refresh_token);
  boost::asio::awaitable<void> logout(const std::string& refresh_token);
  boost::asio::awaitable<void> logout_all(const Principal& who);
  // `client` as for login: a wrong current password counts as a failed login.
  boost::asio::awaitable<void> change_password(const Principal& who, schemas::PasswordChange change,
                                               std::string_view client);
  // The principal behind an access token; 401 INVALID_TOKEN when the token is bad or its
  // session has ended.
  boost::asio::awaitable<Principal> authenticate(std::string_view access_token);

 private:
  boost::asio::awaitable<schemas::TokenPair> open_session(const models::User& user);
  // 429 when the account or the address may fail no more logins now, counting the logins
  // in progress; otherwise their place, held until this login is over.
  boost::asio::awaitable<LoginAttempts::Ticket> check_throttle(const std::string& email,
                                                               std::string_view client);
  // Counts the failure for the account and the address; the caller then throws.
  boost::asio::awaitable<void> count_failure(const std::string& email, std::string_view client);

  AuthDeps d_;
  LoginAttempts attempts_;
};

}  // namespace gh::services
