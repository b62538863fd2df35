#include "services/auth_service.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>

#include "core/api_error.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/uuid.hpp"
#include "services/crypto/token_hash.hpp"

namespace gh::services {
using models::AuditType;
using Outcome = models::AuditOutcome;
namespace {

// Why a login was throttled, by the refusing throttle (LoginAttempts::Keys order).
constexpr std::array<const char*, 3> kThrottleReasons{"account_and_address", "account", "address"};

ApiError invalid_token() {
  return ApiError(ErrorCode::invalid_token);
}

ApiError invalid_credentials() {
  return ApiError(ErrorCode::invalid_credentials);
}

// How long a login's mfa_token lasts (API.md: 5 minutes).
constexpr std::int64_t kMfaChallengeMicros = 5LL * 60 * 1'000'000;

// How long a login waits in line for the logins in progress ahead of it.
constexpr auto kLoginQueueWait = std::chrono::seconds(10);

// The tight throttle's key: one account as seen from one client address group.
std::string pair_key(std::string_view email, std::string_view client) {
  std::string key;
  key.reserve(email.size() + client.size() + 1);
  key.append(email).push_back('|');
  key.append(client);
  return key;
}

// What a device token is bound to: the account and its current password hash, so a
// password change (or a new account at the same address) voids every device's standing.
std::string device_binding(const models::User& user) {
  return user.email + '\n' + user.password_hash;
}

ApiError too_many_logins(std::int64_t retry_after_seconds) {
  ApiError e(ErrorCode::too_many_login_attempts);
  e.retry_after = retry_after_seconds;
  return e;
}

}  // namespace

boost::asio::awaitable<TokenPair> AuthService::register_user(Credentials c,
                                                             const ClientInfo& from) {
  const std::int64_t now = d_.clock.now_micros();
  models::User user{.id = uuid::v7(now),
                    .email = c.email,
                    .password_hash = co_await d_.hasher.hash(std::move(c.password)),
                    .role = models::Role::user,
                    .created_at = now,
                    .updated_at = now};
  models::Session session = new_session(user.id, now, from);
  auto issued = d_.tokens.issue(user.id, session.id);
  session.refresh_hash = issued.refresh_hash;
  const auto event =
      own_event(AuditType::user_registered, Outcome::success, from, user.id, session.id);
  auto also = d_.audit.with_change(event);
  if (d_.mail.verification_on && d_.mail.available)
    also.push_back(queue_mail(models::MailKind::email_verification, user.email, user.id, now));
  try {
    co_await d_.sessions.insert_with_user(user, session, std::move(also));
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    throw ApiError(ErrorCode::email_taken);
  }
  d_.audit.committed(event);
  co_return issued.pair;
}

// A device token proves an earlier login of this account with its current password, so a
// password change ends every device's standing. Looked up only when a token is presented:
// an unknown email then fails the proof exactly as a bad token does.
boost::asio::awaitable<AuthService::Origin> AuthService::origin_of(const std::string& email,
                                                                   std::string_view client,
                                                                   std::string_view device_token) {
  if (!device_token.empty()) {
    if (auto user = co_await d_.users.find_by_email(email)) {
      auto device =
          d_.devices.verify(device_token, device_binding(*user), d_.clock.now_micros() / 1'000'000);
      if (device) co_return Origin{client, pair_key(email, "device:" + *device), true};
    }
  }
  co_return Origin{client, pair_key(email, client), false};
}

// Takes one failure from each throttle before the password is checked, atomically in each
// (in Redis with several instances), so logins at once never get more checks than the
// budget; a right password gives them back. Refused when a throttle has none left: at once
// with 429 when what holds the budget is spent failures (or another instance's logins), and
// after a wait in line when it is held by logins in progress here. Checked before any
// lookup of the account, and the same whether it exists or not, so a 429 tells nothing.
boost::asio::awaitable<AuthService::Budget> AuthService::take_budget(const std::string& email,
                                                                     const Origin& origin,
                                                                     const ClientInfo& from) {
  const auto deadline = std::chrono::steady_clock::now() + kLoginQueueWait;
  const LoginAttempts::Keys keys{"p:" + origin.tight_key, "a:" + email,
                                 "i:" + std::string(origin.client)};
  for (;;) {
    Budget budget{origin, email, attempts_.hold(keys)};
    auto refusal = co_await take(budget);
    if (!refusal) co_return budget;
    budget.ticket.release();
    if (!co_await attempts_.wait_for_release(keys[refusal->first], deadline)) {
      count(d_.counters, &SecurityCounters::login_throttled);
      audit_refused_login(email, from, kThrottleReasons[refusal->first],
                          AuditType::auth_login_throttled);
      throw too_many_logins(refusal->second);
    }
  }
}

// Each throttle in turn; on a refusal, what was taken is given back. The index of the
// refusing throttle (in LoginAttempts::Keys order) and its Retry-After, or nothing.
boost::asio::awaitable<std::optional<std::pair<std::size_t, std::int64_t>>> AuthService::take(
    Budget& budget) {
  const std::string address(budget.origin.client);
  auto tight = co_await d_.login_failures.hit(budget.origin.tight_key);
  if (!tight.allowed) co_return std::pair{std::size_t{0}, tight.retry_after_seconds};
  if (!budget.origin.proven_device) {
    auto account = co_await d_.account_failures.hit(budget.email);
    if (!account.allowed) {
      co_await d_.login_failures.give_back(budget.origin.tight_key);
      co_return std::pair{std::size_t{1}, account.retry_after_seconds};
    }
  }
  auto by_address = co_await d_.address_failures.hit(address);
  if (!by_address.allowed) {
    co_await give_back(budget, true, false);
    co_return std::pair{std::size_t{2}, by_address.retry_after_seconds};
  }
  co_return std::nullopt;
}

// What a login took and did not spend on a wrong password: all of it after an error that
// left the password unchecked (a full hash queue, a database outage); after a right one the
// account's and the address's, while the account-and-address (or device) count starts over.
boost::asio::awaitable<void> AuthService::give_back(const Budget& budget, bool tight,
                                                    bool address) {
  if (tight) co_await d_.login_failures.give_back(budget.origin.tight_key);
  if (!budget.origin.proven_device) co_await d_.account_failures.give_back(budget.email);
  if (address) co_await d_.address_failures.give_back(std::string(budget.origin.client));
}

boost::asio::awaitable<LoginResult> AuthService::login(Credentials c, std::string_view client,
                                                       const ClientInfo& from,
                                                       std::string_view device_token) {
  const Origin origin = co_await origin_of(c.email, client, device_token);
  Budget budget = co_await take_budget(c.email, origin, from);
  std::exception_ptr unchecked;
  try {
    co_return co_await check_password(std::move(c), budget, from);
  } catch (const ApiError& e) {
    if (e.id() == ErrorCode::invalid_credentials) throw;  // a guess: its failure stays counted
    unchecked = std::current_exception();
  } catch (...) {
    unchecked = std::current_exception();
  }
  co_await give_back(budget, true, true);
  std::rethrow_exception(unchecked);
}

boost::asio::awaitable<LoginResult> AuthService::check_password(Credentials c, const Budget& budget,
                                                                const ClientInfo& from) {
  auto user = co_await d_.users.find_by_email(c.email);
  // Unknown, inactive and wrong-password logins all cost one Argon2id verify and get the
  // same answer, so neither timing nor wording tells which emails exist.
  if (!user) {
    co_await d_.hasher.verify_dummy(std::move(c.password));
    count(d_.counters, &SecurityCounters::failed_logins);
    audit_refused_login(c.email, from, "unknown_account");
    throw invalid_credentials();
  }
  // An invited account has no password yet: it verifies nothing, in a verify's time.
  bool ok = false;
  if (user->password_hash.empty())
    co_await d_.hasher.verify_dummy(std::move(c.password));
  else
    ok = co_await d_.hasher.verify(user->password_hash, c.password);
  if (!ok || !user->is_active) {
    count(d_.counters, &SecurityCounters::failed_logins);
    auto event = own_event(AuditType::auth_login, Outcome::failure, from, {}, {});
    event.subject_user_id = user->id;
    event.reason = ok ? "inactive" : "wrong_password";
    d_.audit.failed(std::move(event));
    throw invalid_credentials();
  }
  // A right password gives back what it took. Only this address's (or device's) count at the
  // account starts over: one good password must not buy an address more guesses at other
  // accounts, nor undo what other addresses have failed.
  co_await give_back(budget, false, true);
  co_await d_.login_failures.reset(budget.origin.tight_key);
  if (d_.hasher.needs_rehash(user->password_hash)) {
    auto fresh = co_await d_.hasher.hash(c.password);
    // Over the hash just verified only: a password changed meanwhile stays changed.
    if (co_await d_.users.replace_password_hash(user->id, user->password_hash, fresh,
                                                d_.clock.now_micros()))
      user->password_hash = std::move(fresh);
  }
  if (user->mfa_enabled && d_.mfa) throw co_await challenge(*user, from);
  auto pair = co_await open_session(*user, from);
  co_return LoginResult{std::move(pair),
                        d_.devices.issue(device_binding(*user), d_.clock.now_micros() / 1'000'000)};
}

// The session opens only while the user is active with the hash this login verified: a
// password change, deactivation or deletion that committed during the verify wins.
boost::asio::awaitable<TokenPair> AuthService::open_session(const models::User& user,
                                                            const ClientInfo& from, int aal) {
  models::Session session = new_session(user.id, d_.clock.now_micros(), from);
  auto issued = d_.tokens.issue(user.id, session.id, aal);
  session.refresh_hash = issued.refresh_hash;
  const auto event = own_event(AuditType::auth_login, Outcome::success, from, user.id, session.id);
  if (!co_await d_.sessions.open_if_password(session, user.password_hash,
                                             d_.audit.with_change(event))) {
    audit_refused_login(user.email, from, "changed_meanwhile");
    throw invalid_credentials();
  }
  d_.audit.committed(event);
  co_await record_login(user.id, session.created_at);
  co_return issued.pair;
}

// The token is 256 random bits, kept only as a keyed hash: it is worth a login's first step
// for 5 minutes and 5 codes (MfaService::verify).
boost::asio::awaitable<ApiError> AuthService::challenge(const models::User& user,
                                                        const ClientInfo& from) {
  const std::string token = random_token(32);
  const std::int64_t now = d_.clock.now_micros();
  auto event = own_event(AuditType::mfa_challenge, Outcome::success, from, user.id, {});
  event.reason = "issued";
  co_await d_.mfa->add_challenge(d_.challenge_hasher->hash(token), user.id, now,
                                 now + kMfaChallengeMicros, d_.audit.with_change(event));
  d_.audit.committed(event);
  ApiError required(ErrorCode::mfa_required);
  required.extra.emplace_back("mfa_token", token);
  co_return required;
}

// Counted against the account everywhere (not as a proven device): whoever guesses holds the
// password, and the account-wide limit is what stops them guessing from many addresses.
boost::asio::awaitable<bool> AuthService::second_factor_guess(
    const models::User& user, std::string_view client, const ClientInfo& from,
    std::function<boost::asio::awaitable<bool>()> check) {
  const Origin origin{client, pair_key(user.email, client), false};
  const Budget budget = co_await take_budget(user.email, origin, from);
  bool right = false;
  std::exception_ptr unchecked;  // the database failed: the budget goes back, then the error
  try {
    right = co_await check();
  } catch (...) {
    unchecked = std::current_exception();
  }
  if (!right && !unchecked) {
    count(d_.counters, &SecurityCounters::failed_logins);
    co_return false;
  }
  co_await give_back(budget, unchecked != nullptr, true);
  if (unchecked) std::rethrow_exception(unchecked);
  co_await d_.login_failures.reset(origin.tight_key);
  co_return true;
}

// After the session's transaction, on its own: inside it, on PostgreSQL, the row lock of this
// UPDATE deadlocked concurrent logins of one account (each transaction's foreign-key check
// on the user). last_login_at is information, not a guard: a failure here costs no login.
boost::asio::awaitable<void> AuthService::record_login(const std::string& user_id,
                                                       std::int64_t now) {
  try {
    co_await d_.users.record_login(user_id, now);
  } catch (const std::exception& e) {
    log::warn("last_login_not_recorded", {{"error", std::string_view(e.what())}});
  }
}

models::AuditEvent AuthService::own_event(AuditType type, Outcome outcome, const ClientInfo& from,
                                          const std::string& user_id,
                                          const std::string& session_id) const {
  auto event = d_.audit.event(type, outcome, from);
  event.actor_id = user_id;
  event.subject_user_id = user_id;
  event.session_id = session_id;
  return event;
}

// The account is found by its address in the audit writer's batch, off the login's path,
// so a refusal costs no lookup here and takes the same time whether the account exists.
void AuthService::audit_refused_login(const std::string& email, const ClientInfo& from,
                                      std::string reason, AuditType type) {
  auto event = d_.audit.event(type, Outcome::failure, from);
  event.subject_email = email;
  event.reason = std::move(reason);
  d_.audit.failed(std::move(event));
}

models::Session AuthService::new_session(const std::string& user_id, std::int64_t now,
                                         const ClientInfo& from) const {
  ClientInfo kept = stored(from);
  return models::Session{.id = uuid::v7(now),
                         .user_id = user_id,
                         .refresh_hash = {},  // once its tokens are issued
                         .created_at = now,
                         .expires_at = now + d_.tokens.refresh_lifetime_micros(),
                         .revoked_at = std::nullopt,
                         .last_used_at = now,
                         .ip = std::move(kept.ip),
                         .user_agent = std::move(kept.user_agent)};
}

boost::asio::awaitable<TokenPair> AuthService::refresh(const std::string& token,
                                                       const ClientInfo& from) {
  auto claims = d_.tokens.verify(token, "refresh");
  if (!claims) {
    d_.audit.unrecorded_junk();
    throw invalid_token();
  }
  auto issued = d_.tokens.issue(claims->sub, claims->sid, claims->aal);
  ClientInfo kept = stored(from);
  const db::SessionUse use{.at = d_.clock.now_micros(),
                           .ip = std::move(kept.ip),
                           .user_agent = std::move(kept.user_agent)};
  // A successful refresh is recorded only when AUDIT_INCLUDE asks: the event (an id, the
  // client cut to size) is not even built on the busiest write path otherwise.
  std::optional<models::AuditEvent> event;
  std::vector<db::Statement> also;
  if (d_.audit.records(AuditType::session_refreshed, Outcome::success)) {
    event =
        own_event(AuditType::session_refreshed, Outcome::success, from, claims->sub, claims->sid);
    also = d_.audit.with_change(*event);
  }
  auto result =
      co_await d_.sessions.rotate(claims->sid, claims->sub, crypto::hash_token_id(claims->jti),
                                  issued.refresh_hash, use, std::move(also));
  if (result == db::RotateResult::rotated) {
    if (event) d_.audit.committed(*event);
    co_return issued.pair;
  }
  if (result == db::RotateResult::reused) note_reuse(*claims, from);
  if (result == db::RotateResult::invalid)
    audit_ended_session(AuditType::session_refreshed, *claims, from);
  throw invalid_token();
}

// A spent refresh token presented anywhere is reuse: someone holds a copy. Its session is
// revoked already; this says so.
void AuthService::note_reuse(const crypto::TokenClaims& claims, const ClientInfo& from) {
  log::warn("refresh_token_reuse", {{"user_id", claims.sub}, {"session_id", claims.sid}});
  count(d_.counters, &SecurityCounters::refresh_reuse);
  if (d_.counters) d_.counters->revoked(RevokeReason::refresh_reuse);
  auto event = own_event(AuditType::session_refresh_reuse, Outcome::failure, from, {}, claims.sid);
  event.subject_user_id = claims.sub;
  event.reason = "session_revoked";
  d_.audit.failed(std::move(event));
}

void AuthService::audit_ended_session(AuditType type, const crypto::TokenClaims& claims,
                                      const ClientInfo& from) {
  auto event = own_event(type, Outcome::failure, from, {}, claims.sid);
  event.subject_user_id = claims.sub;
  event.reason = "session_ended";
  d_.audit.failed(std::move(event));
}

// Logging out with a spent token still ends the session (as reuse) and still answers 401:
// the token presented is not a valid one, whatever it achieved.
boost::asio::awaitable<void> AuthService::logout(const std::string& token, const ClientInfo& from) {
  auto claims = d_.tokens.verify(token, "refresh");
  if (!claims) {
    d_.audit.unrecorded_junk();
    throw invalid_token();
  }
  auto event =
      own_event(AuditType::session_ended, Outcome::success, from, claims->sub, claims->sid);
  event.reason = "logout";
  const auto result = co_await d_.sessions.revoke_by_refresh(
      claims->sid, claims->sub, crypto::hash_token_id(claims->jti), d_.clock.now_micros(),
      d_.audit.with_change(event));
  if (result == db::EndResult::reused) note_reuse(*claims, from);
  if (result == db::EndResult::invalid)
    audit_ended_session(AuditType::session_ended, *claims, from);
  if (result != db::EndResult::ended) throw invalid_token();
  d_.audit.committed(event);
  if (d_.counters) d_.counters->revoked(RevokeReason::logout);
}

boost::asio::awaitable<void> AuthService::logout_all(const Principal& who, const ClientInfo& from) {
  // No session named: every session of the user ended (as for an admin's, or a deactivation).
  auto event = own_event(AuditType::session_ended, Outcome::success, from, who.user.id, {});
  event.reason = "logout_all";
  if (co_await d_.sessions.revoke_all_for_user(who.user.id, d_.clock.now_micros(),
                                               d_.audit.with_change(event)) > 0)
    d_.audit.committed(event);
  if (d_.counters) d_.counters->revoked(RevokeReason::logout_all);
}

boost::asio::awaitable<void> AuthService::change_password(const Principal& who,
                                                          PasswordChange change,
                                                          std::string_view client,
                                                          const ClientInfo& from) {
  // The current password is a guess like a login's: the same throttle, the same count, so a
  // stolen access token does not buy unlimited guesses at it.
  // Out of the account-wide limit like a proven device: the caller holds a live session.
  const Origin origin{client, pair_key(who.user.email, client), true};
  const Budget budget = co_await take_budget(who.user.email, origin, from);
  bool right = false;
  std::exception_ptr unchecked;  // a full hash queue: the budget goes back, then the error
  try {
    right = co_await d_.hasher.verify(who.user.password_hash, change.current_password);
  } catch (...) {
    unchecked = std::current_exception();
  }
  if (!right && !unchecked) {
    count(d_.counters, &SecurityCounters::failed_logins);
    auto event =
        own_event(AuditType::password_changed, Outcome::failure, from, who.user.id, who.session_id);
    event.reason = "wrong_password";
    d_.audit.failed(std::move(event));
    throw invalid_credentials();
  }
  co_await give_back(budget, unchecked != nullptr, true);
  if (unchecked) std::rethrow_exception(unchecked);
  co_await d_.login_failures.reset(origin.tight_key);
  auto fresh = co_await d_.hasher.hash(std::move(change.new_password));
  const std::int64_t now = d_.clock.now_micros();
  const auto changed =
      own_event(AuditType::password_changed, Outcome::success, from, who.user.id, who.session_id);
  auto ended = changed;
  ended.id = uuid::v7(changed.occurred_at);
  ended.type = AuditType::session_ended;
  ended.session_id.clear();  // every other session: the caller's stays open
  ended.reason = "password_change";
  ended.session_id.clear();  // the others, every one: the caller's stays open
  // Over the hash verified only: of two changes at once, the second finds it gone. The
  // other sessions end in the same transaction.
  const auto others = co_await d_.users.change_password(
      who.user.id, who.user.password_hash, fresh, now, who.session_id,
      d_.audit.with_change(changed), d_.audit.with_change(ended));
  if (!others) throw invalid_credentials();
  d_.audit.committed(changed);
  if (*others > 0) d_.audit.committed(ended);
  if (d_.counters) d_.counters->revoked(RevokeReason::password_change);
}

boost::asio::awaitable<Principal> AuthService::authenticate(std::string_view access_token) {
  auto claims = d_.tokens.verify(access_token, "access");
  if (!claims) throw invalid_token();
  auto user =
      co_await d_.users.find_active_with_session(claims->sub, claims->sid, d_.clock.now_micros());
  if (!user) throw invalid_token();
  co_return Principal{std::move(*user), claims->sid, claims->aal};
}

}  // namespace gh::services
