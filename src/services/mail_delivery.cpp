#include "services/mail_delivery.hpp"

#include <algorithm>
#include <map>

#include "core/log.hpp"
#include "core/random.hpp"

namespace gh::services {
namespace {

using models::MailKind;
using models::MailState;

constexpr std::size_t kTokenBytes = 32;  // 256 bits

std::string valid_for(std::int64_t micros) {
  const std::int64_t minutes = micros / 60'000'000;
  if (minutes % 60 != 0 || minutes < 60) return std::to_string(minutes) + " minutes";
  const std::int64_t hours = minutes / 60;
  return hours == 1 ? "1 hour" : std::to_string(hours) + " hours";
}

std::string with_token(std::string url, const std::string& token) {
  const auto at = url.find("{token}");
  if (at != std::string::npos) url.replace(at, 7, token);
  return url;
}

}  // namespace

std::int64_t MailDelivery::backoff_micros(int attempts, std::int64_t base) {
  const int doublings = std::clamp(attempts - 1, 0, 12);  // 1 s * 2^12 > an hour
  return std::min<std::int64_t>(base << doublings, 3600LL * 1'000'000);
}

boost::asio::awaitable<int> MailDelivery::run_once(int limit) {
  const std::int64_t now = d_.clock.now_micros();
  const auto due = co_await d_.outbox.claim(now, now + options_.lease_micros, limit);
  for (const auto& mail : due) co_await deliver(mail);
  co_return static_cast<int>(due.size());
}

boost::asio::awaitable<void> MailDelivery::deliver(const models::OutboxMail& mail) {
  // A reset names an address: whether it has an account is decided here, never by the
  // request. Verification and invitations name the user they are for.
  const auto user = mail.kind == MailKind::password_reset
                        ? co_await d_.users.find_by_email(mail.recipient)
                        : co_await d_.users.find_by_id(mail.user_id);
  if (auto why = co_await skip_reason(mail, user); !why.empty()) {
    d_.stats.skipped.fetch_add(1, std::memory_order_relaxed);
    co_await d_.outbox.finish(mail.id, MailState::skipped, d_.clock.now_micros(), why);
    co_return;
  }
  const std::int64_t now = d_.clock.now_micros();
  const std::string token = random_token(kTokenBytes);
  const auto [url, ttl] =
      mail.kind == MailKind::password_reset
          ? std::pair{options_.password_reset_url, options_.password_reset_ttl_micros}
      : mail.kind == MailKind::email_verification
          ? std::pair{options_.email_verification_url, options_.email_verification_ttl_micros}
          : std::pair{options_.invitation_url, options_.invitation_ttl_micros};
  co_await d_.tokens.add(d_.hasher.hash(token), mail.kind, user->id, mail.recipient, now,
                         now + ttl);
  const auto rendered = d_.templates.render(
      models::mail_kind_name(mail.kind), mail.recipient,
      {{"link", with_token(url, token)}, {"email", mail.recipient}, {"valid_for", valid_for(ttl)}});
  co_await record(mail, user->id, d_.mailer.send(rendered, mail.id));
}

boost::asio::awaitable<std::string> MailDelivery::skip_reason(
    const models::OutboxMail& mail, const std::optional<models::User>& user) {
  if (!user || !user->is_active) co_return "no active account";
  // A link mailed to an address the account no longer has would prove nothing.
  if (user->email != mail.recipient) co_return "address changed";
  const std::int64_t hour_ago = d_.clock.now_micros() - 3600LL * 1'000'000;
  if (co_await d_.outbox.sent_since(mail.recipient, hour_ago) >= options_.per_account_per_hour)
    co_return "per-account limit";
  co_return "";
}

void MailDelivery::audit(models::AuditType type, models::AuditOutcome outcome,
                         const std::string& user_id, const models::OutboxMail& mail,
                         const std::string& reason) {
  if (!d_.audit) return;
  auto event = d_.audit->event(type, outcome, ClientInfo{});
  event.subject_user_id = user_id;
  event.reason = reason;
  event.details = AuditDetails()
                      .add("kind", models::mail_kind_name(mail.kind))
                      .add("attempts", std::int64_t{mail.attempts})
                      .json();
  // No change of the worker's own to write it with: through the queue, like a failure.
  d_.audit->failed(std::move(event));
}

boost::asio::awaitable<void> MailDelivery::record(const models::OutboxMail& mail,
                                                  const std::string& user_id,
                                                  const mail::SendResult& r) {
  const std::int64_t now = d_.clock.now_micros();
  if (r.delivery == mail::Delivery::sent) {
    d_.stats.sent.fetch_add(1, std::memory_order_relaxed);
    co_await d_.outbox.finish(mail.id, MailState::sent, now, "");
    if (mail.kind == MailKind::password_reset)
      audit(models::AuditType::password_reset_requested, models::AuditOutcome::success, user_id,
            mail, {});
    if (mail.kind == MailKind::email_verification)
      audit(models::AuditType::email_verification_sent, models::AuditOutcome::success, user_id,
            mail, {});
    co_return;
  }
  const bool give_up = r.delivery == mail::Delivery::rejected ||
                       now - mail.created_at >= options_.give_up_after_micros;
  log::warn(give_up ? "mail_failed" : "mail_retry",
            {{"id", mail.id},
             {"kind", models::mail_kind_name(mail.kind)},
             {"attempts", static_cast<long long>(mail.attempts)},
             {"reason", r.reason}});
  if (give_up) {
    d_.stats.failed.fetch_add(1, std::memory_order_relaxed);
    co_await d_.outbox.finish(mail.id, MailState::failed, now, r.reason);
    audit(models::AuditType::email_delivery_failed, models::AuditOutcome::failure, user_id, mail,
          r.delivery == mail::Delivery::rejected ? "rejected" : "retries_exhausted");
    co_return;
  }
  d_.stats.retried.fetch_add(1, std::memory_order_relaxed);
  co_await d_.outbox.retry_at(
      mail.id, now + backoff_micros(mail.attempts, options_.retry_base_micros), r.reason);
}

}  // namespace gh::services
