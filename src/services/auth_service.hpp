#pragma once
// Registration, login, refresh rotation, logout and password change: the business rules
// of sessions. Throws ApiError for expected failures; knows nothing of HTTP requests.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/clock.hpp"
#include "core/security_counters.hpp"
#include "core/window_limiter.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "schemas/auth.hpp"
#include "services/crypto/password_hasher.hpp"
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
  WindowLimiter& login_failures;         // per account
  WindowLimiter& address_failures;       // per client address
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
  boost::asio::awaitable<void> change_password(const Principal& who,
                                               schemas::PasswordChange change);
  // The principal behind an access token; 401 INVALID_TOKEN when the token is bad or its
  // session has ended.
  boost::asio::awaitable<Principal> authenticate(std::string_view access_token);

 private:
  boost::asio::awaitable<schemas::TokenPair> open_session(const models::User& user);
  void check_throttle(const std::string& email, std::string_view client);
  [[noreturn]] void fail_login(const std::string& email, std::string_view client);

  AuthDeps d_;
};

}  // namespace gh::services
