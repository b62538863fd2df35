#include "services/email_flows.hpp"

#include "core/api_error.hpp"
#include "core/uuid.hpp"

namespace gh::services {
namespace {

using models::AuditType;
using models::MailKind;

// A session id no session has: a reset ends every session of the account.
const std::string kNoSession = "00000000-0000-0000-0000-000000000000";

ApiError invalid_link() {
  return ApiError(ErrorCode::invalid_or_expired_token);
}

}  // namespace

boost::asio::awaitable<void> EmailFlows::request_password_reset(const std::string& email) {
  require_mail(d_.policy);
  // Counted per address whether it has an account or not, so the limit says nothing either.
  if (!(co_await d_.mail_requests.hit("reset|" + email)).allowed) co_return;
  const std::int64_t now = d_.clock.now_micros();
  co_await d_.outbox.add(
      models::OutboxMail{.id = uuid::v7(now), .kind = MailKind::password_reset, .recipient = email},
      now);
}

boost::asio::awaitable<void> EmailFlows::confirm_password_reset(const std::string& token,
                                                                std::string new_password,
                                                                const ClientInfo& from) {
  std::string hash;
  const auto owner =
      co_await spend_with_password(token, MailKind::password_reset, std::move(new_password), hash);
  const models::User user = co_await owner_account(owner);
  const std::int64_t now = d_.clock.now_micros();
  auto reset = d_.audit.event(AuditType::password_reset, models::AuditOutcome::success, from);
  reset.actor_id = reset.subject_user_id = user.id;
  auto ended = reset;
  ended.id = uuid::v7(reset.occurred_at);
  ended.type = AuditType::session_ended;
  ended.reason = "password_reset";
  // Taking the link proves the address as a verification link would.
  auto also = d_.audit.with_change(reset);
  also.push_back(db::UserRepository::email_verified_statement(user.id, user.email, now));
  const auto sessions =
      co_await d_.users.change_password(user.id, user.password_hash, hash, now, kNoSession,
                                        std::move(also), d_.audit.with_change(ended));
  if (!sessions) throw invalid_link();  // the password changed meanwhile
  d_.audit.committed(reset);
  if (*sessions > 0) d_.audit.committed(ended);
}

boost::asio::awaitable<void> EmailFlows::verify_email(const std::string& token,
                                                      const ClientInfo& from) {
  const auto owner = co_await spend(token, MailKind::email_verification);
  auto event = d_.audit.event(AuditType::email_verified, models::AuditOutcome::success, from);
  event.actor_id = event.subject_user_id = owner.user_id;
  if (!co_await d_.users.mark_email_verified(owner.user_id, owner.email, d_.clock.now_micros(),
                                             d_.audit.with_change(event)))
    throw invalid_link();  // the address changed since the mail went, or the user is gone
  d_.audit.committed(event);
}

boost::asio::awaitable<void> EmailFlows::resend_verification(const models::User& user) {
  if (user.email_verified) co_return;
  require_mail(d_.policy);
  const auto decision = co_await d_.mail_requests.hit("verify|" + user.id);
  if (!decision.allowed) {
    ApiError e(ErrorCode::rate_limited);
    e.retry_after = decision.retry_after_seconds;
    throw e;
  }
  const std::int64_t now = d_.clock.now_micros();
  co_await d_.outbox.add(models::OutboxMail{.id = uuid::v7(now),
                                            .kind = MailKind::email_verification,
                                            .recipient = user.email,
                                            .user_id = user.id},
                         now);
}

boost::asio::awaitable<void> EmailFlows::send_to_user(const std::string& id, MailKind kind) {
  require_mail(d_.policy);
  const auto user = co_await d_.users.find_by_id(id);
  if (!user) throw ApiError(ErrorCode::user_not_found);
  const std::int64_t now = d_.clock.now_micros();
  co_await d_.outbox.add(
      models::OutboxMail{
          .id = uuid::v7(now), .kind = kind, .recipient = user->email, .user_id = user->id},
      now);
}

boost::asio::awaitable<TokenPair> EmailFlows::accept_invitation(const std::string& token,
                                                                std::string password,
                                                                const ClientInfo& from) {
  std::string hash;
  const auto owner =
      co_await spend_with_password(token, MailKind::invitation, std::move(password), hash);
  models::User user = co_await owner_account(owner);
  // Accepted once: an account that has a password (set by a reset since) keeps it.
  if (!user.password_hash.empty()) throw invalid_link();
  const std::int64_t now = d_.clock.now_micros();
  auto event = d_.audit.event(AuditType::password_reset, models::AuditOutcome::success, from);
  event.actor_id = event.subject_user_id = user.id;
  event.reason = "invitation";
  auto also = d_.audit.with_change(event);
  also.push_back(db::UserRepository::email_verified_statement(user.id, user.email, now));
  if (!co_await d_.users.change_password(user.id, "", hash, now, kNoSession, std::move(also), {}))
    throw invalid_link();
  d_.audit.committed(event);
  user.password_hash = std::move(hash);
  user.email_verified = true;
  co_return co_await d_.auth.open_session(user, from);
}

boost::asio::awaitable<db::MailTokenOwner> EmailFlows::spend_with_password(const std::string& token,
                                                                           MailKind purpose,
                                                                           std::string new_password,
                                                                           std::string& hash) {
  if (!co_await d_.tokens.usable(d_.token_hasher.hash(token), purpose, d_.clock.now_micros()))
    throw invalid_link();
  hash = co_await d_.hasher.hash(std::move(new_password));
  co_return co_await spend(token, purpose);
}

boost::asio::awaitable<db::MailTokenOwner> EmailFlows::spend(const std::string& token,
                                                             MailKind purpose) {
  auto owner =
      co_await d_.tokens.consume(d_.token_hasher.hash(token), purpose, d_.clock.now_micros());
  if (!owner) throw invalid_link();
  co_return std::move(*owner);
}

boost::asio::awaitable<models::User> EmailFlows::owner_account(const db::MailTokenOwner& owner) {
  auto user = co_await d_.users.find_by_id(owner.user_id);
  if (!user || !user->is_active || user->email != owner.email) throw invalid_link();
  co_return std::move(*user);
}

}  // namespace gh::services
