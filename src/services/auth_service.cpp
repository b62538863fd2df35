#include "services/auth_service.hpp"

#include <algorithm>

#include "core/api_error.hpp"
#include "core/log.hpp"
#include "core/uuid.hpp"
#include "services/crypto/token_hash.hpp"

namespace gh::services {
namespace {

ApiError invalid_token() {
  ApiError e(401, "INVALID_TOKEN", "Invalid or expired token");
  e.headers.emplace_back("WWW-Authenticate", "Bearer");
  return e;
}

ApiError invalid_credentials() {
  return ApiError(401, "INVALID_CREDENTIALS", "Incorrect email or password");
}

ApiError too_many_logins(std::int64_t retry_after_seconds) {
  ApiError e(429, "TOO_MANY_LOGIN_ATTEMPTS", "Too many failed logins, try again later");
  e.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return e;
}

}  // namespace

boost::asio::awaitable<schemas::TokenPair> AuthService::register_user(schemas::Credentials c) {
  const std::int64_t now = d_.clock.now_micros();
  models::User user{
      uuid::v7(now), c.email, co_await d_.hasher.hash(std::move(c.password)), "user", true,
      now,           now};
  auto session_id = uuid::v7(now);
  auto issued = d_.tokens.issue(user.id, session_id);
  models::Session session{
      session_id,  user.id, issued.refresh_hash, now, now + d_.tokens.refresh_lifetime_micros(),
      std::nullopt};
  try {
    co_await d_.sessions.insert_with_user(user, session);
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    throw ApiError(409, "EMAIL_TAKEN", "Email already registered");
  }
  co_await d_.stats.invalidate();
  co_return issued.pair;
}

// Checked before any lookup, and whether the account exists or not, so a 429 tells an
// attacker nothing about which emails are registered.
boost::asio::awaitable<LoginAttempts::Ticket> AuthService::check_throttle(const std::string& email,
                                                                          std::string_view client) {
  auto account = co_await d_.login_failures.peek(email);
  auto address = co_await d_.address_failures.peek(std::string(client));
  // Allowed, the login still needs a place: every failure left may be in progress already,
  // and then it waits for their outcome (a second).
  if (account.allowed && address.allowed) {
    if (auto ticket = attempts_.begin(email, account.remaining, client, address.remaining))
      co_return std::move(*ticket);
  }
  count(d_.counters, &SecurityCounters::login_throttled);
  throw too_many_logins(
      std::max({std::int64_t{1}, account.allowed ? 0 : account.retry_after_seconds,
                address.allowed ? 0 : address.retry_after_seconds}));
}

boost::asio::awaitable<void> AuthService::count_failure(const std::string& email,
                                                        std::string_view client) {
  co_await d_.login_failures.hit(email);
  co_await d_.address_failures.hit(std::string(client));
  count(d_.counters, &SecurityCounters::failed_logins);
}

boost::asio::awaitable<schemas::TokenPair> AuthService::login(schemas::Credentials c,
                                                              std::string_view client) {
  // Held to the end: a failure is counted before this login stops counting as in progress.
  const LoginAttempts::Ticket attempt = co_await check_throttle(c.email, client);
  auto user = co_await d_.users.find_by_email(c.email);
  // Unknown, inactive and wrong-password logins all cost one Argon2id verify and get the
  // same answer, so neither timing nor wording tells which emails exist.
  if (!user) {
    co_await d_.hasher.verify_dummy(std::move(c.password));
    co_await count_failure(c.email, client);
    throw invalid_credentials();
  }
  bool ok = co_await d_.hasher.verify(user->password_hash, c.password);
  if (!ok || !user->is_active) {
    co_await count_failure(c.email, client);
    throw invalid_credentials();
  }
  // Only the account's count: one good password must not buy an address more guesses.
  co_await d_.login_failures.reset(c.email);
  if (d_.hasher.needs_rehash(user->password_hash)) {
    auto fresh = co_await d_.hasher.hash(c.password);
    // Over the hash just verified only: a password changed meanwhile stays changed.
    if (co_await d_.users.replace_password_hash(user->id, user->password_hash, fresh,
                                                d_.clock.now_micros()))
      user->password_hash = std::move(fresh);
  }
  co_return co_await open_session(*user);
}

// The session opens only while the user is active with the hash this login verified: a
// password change, deactivation or deletion that committed during the verify wins.
boost::asio::awaitable<schemas::TokenPair> AuthService::open_session(const models::User& user) {
  const std::int64_t now = d_.clock.now_micros();
  auto session_id = uuid::v7(now);
  auto issued = d_.tokens.issue(user.id, session_id);
  const models::Session session{
      session_id,  user.id, issued.refresh_hash, now, now + d_.tokens.refresh_lifetime_micros(),
      std::nullopt};
  if (!co_await d_.sessions.open_if_password(session, user.password_hash))
    throw invalid_credentials();
  co_return issued.pair;
}

boost::asio::awaitable<schemas::TokenPair> AuthService::refresh(const std::string& token) {
  auto claims = d_.tokens.verify(token, "refresh");
  if (!claims) throw invalid_token();
  auto issued = d_.tokens.issue(claims->sub, claims->sid);
  auto result =
      co_await d_.sessions.rotate(claims->sid, claims->sub, crypto::hash_token_id(claims->jti),
                                  issued.refresh_hash, d_.clock.now_micros());
  if (result == db::RotateResult::rotated) co_return issued.pair;
  if (result == db::RotateResult::reused) {
    log::warn("refresh_token_reuse", {{"user_id", claims->sub}, {"session_id", claims->sid}});
    count(d_.counters, &SecurityCounters::refresh_reuse);
    if (d_.counters) d_.counters->revoked(RevokeReason::refresh_reuse);
  }
  throw invalid_token();
}

boost::asio::awaitable<void> AuthService::logout(const std::string& token) {
  auto claims = d_.tokens.verify(token, "refresh");
  if (!claims) throw invalid_token();
  bool revoked = co_await d_.sessions.revoke_by_refresh(
      claims->sid, claims->sub, crypto::hash_token_id(claims->jti), d_.clock.now_micros());
  if (!revoked) throw invalid_token();
  if (d_.counters) d_.counters->revoked(RevokeReason::logout);
}

boost::asio::awaitable<void> AuthService::logout_all(const Principal& who) {
  co_await d_.sessions.revoke_all_for_user(who.user.id, d_.clock.now_micros());
  if (d_.counters) d_.counters->revoked(RevokeReason::logout_all);
}

boost::asio::awaitable<void> AuthService::change_password(const Principal& who,
                                                          schemas::PasswordChange change,
                                                          std::string_view client) {
  // The current password is a guess like a login's: the same throttle, the same count, so a
  // stolen access token does not buy unlimited guesses at it.
  const LoginAttempts::Ticket attempt = co_await check_throttle(who.user.email, client);
  if (!co_await d_.hasher.verify(who.user.password_hash, change.current_password)) {
    co_await count_failure(who.user.email, client);
    throw invalid_credentials();
  }
  co_await d_.login_failures.reset(who.user.email);
  auto fresh = co_await d_.hasher.hash(std::move(change.new_password));
  const std::int64_t now = d_.clock.now_micros();
  // Over the hash verified only: of two changes at once, the second finds it gone.
  if (!co_await d_.users.replace_password_hash(who.user.id, who.user.password_hash, fresh, now))
    throw invalid_credentials();
  co_await d_.sessions.revoke_others_for_user(who.user.id, who.session_id, now);
  if (d_.counters) d_.counters->revoked(RevokeReason::password_change);
}

boost::asio::awaitable<Principal> AuthService::authenticate(std::string_view access_token) {
  auto claims = d_.tokens.verify(access_token, "access");
  if (!claims) throw invalid_token();
  auto user =
      co_await d_.users.find_active_with_session(claims->sub, claims->sid, d_.clock.now_micros());
  if (!user) throw invalid_token();
  co_return Principal{std::move(*user), claims->sid};
}

}  // namespace gh::services
