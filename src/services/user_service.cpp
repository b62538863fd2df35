#include "services/user_service.hpp"

#include "core/api_error.hpp"
#include "core/uuid.hpp"

namespace gh::services {
namespace {

ApiError not_found() {
  return ApiError(ErrorCode::user_not_found);
}
ApiError last_admin() {
  return ApiError(ErrorCode::last_admin);
}

// user.updated's details: never the email itself, only that it changed. A field sent with
// the value it already had is not a change.
AuditDetails update_details(const models::User& before, const models::UserChanges& changes) {
  std::vector<std::string_view> fields;
  if (changes.email && *changes.email != before.email) fields.emplace_back("email");
  if (changes.role && *changes.role != before.role) fields.emplace_back("role");
  if (changes.is_active && *changes.is_active != before.is_active) fields.emplace_back("is_active");
  AuditDetails details;
  details.add("fields", fields);
  details.add("old_role", models::role_name(before.role));
  details.add("new_role", models::role_name(changes.role.value_or(before.role)));
  details.add("old_is_active", before.is_active);
  details.add("new_is_active", changes.is_active.value_or(before.is_active));
  return details;
}

}  // namespace

boost::asio::awaitable<models::UserPage> UserService::list(models::UserQuery query) {
  const std::int64_t limit = query.limit;
  ++query.limit;  // one row more than asked says whether another page follows
  models::UserPage page;
  page.users = co_await users_.list(query);
  if (static_cast<std::int64_t>(page.users.size()) > limit) {
    page.users.pop_back();
    const models::User& last = page.users.back();
    page.next = models::UserPosition{last.created_at, last.id};
  }
  if (!query.after && !query.filter.any()) page.total = (co_await stats()).total;
  co_return page;
}

boost::asio::awaitable<models::User> UserService::get(const std::string& id) {
  auto user = co_await users_.find_by_id(id);
  if (!user) throw not_found();
  co_return std::move(*user);
}

// The event names the fields the request changed, and the role and active flag before and
// after (as read just before the change).
boost::asio::awaitable<models::User> UserService::update(const std::string& id,
                                                         models::UserChanges changes,
                                                         const Actor& admin) {
  const models::User before = co_await get(id);
  auto event = audit_.event_by(models::AuditType::user_updated, admin, id);
  event.details = update_details(before, changes).json();
  auto ended = audit_.event_by(models::AuditType::session_ended, admin, id);
  ended.session_id.clear();  // every session of the user
  ended.reason = changes.is_active == false ? "deactivated" : "demoted";
  db::GuardedResult result{};
  std::int64_t sessions_ended = 0;
  const std::int64_t now = clock_.now_micros();
  auto also = audit_.with_change(event);
  if (changes.email && *changes.email != before.email && mail_.verification_on && mail_.available)
    also.push_back(queue_mail(models::MailKind::email_verification, *changes.email, id, now));
  try {
    result = co_await users_.update(id, changes, now, std::move(also), audit_.with_change(ended),
                                    &sessions_ended);
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    throw ApiError(ErrorCode::email_taken);
  }
  if (result == db::GuardedResult::not_found) throw not_found();
  if (result == db::GuardedResult::last_admin) throw last_admin();
  audit_.committed(event);
  if (sessions_ended > 0) audit_.committed(ended);
  co_return co_await get(id);
}

boost::asio::awaitable<void> UserService::remove(const std::string& id, const Actor& admin) {
  const auto event = audit_.event_by(models::AuditType::user_deleted, admin, id);
  auto result = co_await users_.remove(id, audit_.with_change(event));
  if (result == db::GuardedResult::not_found) throw not_found();
  if (result == db::GuardedResult::last_admin) throw last_admin();
  audit_.committed(event);
}

boost::asio::awaitable<models::UserCounts> UserService::stats() {
  // Exact and one row (user_counts, kept by triggers): nothing to cache, nothing stale.
  co_return co_await users_.counts();
}

boost::asio::awaitable<models::User> UserService::create(NewUser fresh, const Actor& admin) {
  const bool invite = fresh.password.empty();
  if (invite) require_mail(mail_);
  const std::int64_t now = clock_.now_micros();
  // An invited account's hash is empty: no password verifies against it (AuthService).
  models::User user{
      .id = uuid::v7(now),
      .email = std::move(fresh.email),
      .password_hash = invite ? std::string{} : co_await hasher_.hash(std::move(fresh.password)),
      .role = fresh.role,
      .created_at = now,
      .updated_at = now};
  auto event = audit_.event_by(models::AuditType::user_created, admin, user.id);
  event.details =
      AuditDetails{}.add("role", models::role_name(user.role)).add("invited", invite).json();
  auto also = audit_.with_change(event);
  // An invitation proves the address when it is accepted; an account made with a password
  // gets the verification mail a sign-up would.
  if (invite)
    also.push_back(queue_mail(models::MailKind::invitation, user.email, user.id, now));
  else if (mail_.verification_on && mail_.available)
    also.push_back(queue_mail(models::MailKind::email_verification, user.email, user.id, now));
  try {
    co_await users_.insert(user, std::move(also));
  } catch (const db::DbError& e) {
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    throw ApiError(ErrorCode::email_taken);
  }
  audit_.committed(event);
  user.password_hash.clear();  // nobody above needs it
  co_return user;
}

// The operator's command is audited like an admin's action, with no actor and reason "cli".
boost::asio::awaitable<bool> UserService::create_admin(const std::string& email,
                                                       std::string password,
                                                       db::SessionRepository& sessions) {
  const Actor operator_at_console{};
  if (auto existing = co_await users_.find_by_email(email)) {
    const std::string hash = co_await hasher_.hash(std::move(password));
    const std::int64_t now = clock_.now_micros();
    co_await users_.set_password_hash(existing->id, hash, now);
    co_await sessions.revoke_all_for_user(existing->id, now);
    const models::UserChanges promotion{.role = models::Role::admin, .is_active = true};
    auto event =
        audit_.event_by(models::AuditType::user_updated, operator_at_console, existing->id);
    event.reason = "cli";
    event.details = update_details(*existing, promotion).add("password", true).json();
    // The operator at the console vouches for the address: EMAIL_VERIFICATION=required must
    // not lock the admin they make out of the admin routes.
    auto also = audit_.with_change(event);
    also.push_back(
        db::UserRepository::email_verified_statement(existing->id, existing->email, now));
    co_await users_.update(existing->id, promotion, now, std::move(also));
    audit_.committed(event);
    co_return false;
  }
  const std::int64_t now = clock_.now_micros();
  models::User user{.id = uuid::v7(now),
                    .email = email,
                    .password_hash = co_await hasher_.hash(std::move(password)),
                    .role = models::Role::admin,
                    .created_at = now,
                    .updated_at = now,
                    .email_verified = true};  // as above
  auto event = audit_.event_by(models::AuditType::user_created, operator_at_console, user.id);
  event.reason = "cli";
  event.details = AuditDetails{}.add("role", models::role_name(user.role)).json();
  co_await users_.insert(user, audit_.with_change(event));
  audit_.committed(event);
  co_return true;
}

}  // namespace gh::services
