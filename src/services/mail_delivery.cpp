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

std::int64_t MailDelivery::backoff_micros(int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 7);  // 30 s * 2^7 > an hour
  return std::min<std::int64_t>(30LL * 1'000'000 << doublings, 3600LL * 1'000'000);
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
  const std::int64_t now = d_.clock.now_micros();
  if (!user || (!user->is_active && mail.kind != MailKind::invitation)) {
    d_.stats.skipped.fetch_add(1, std::memory_order_relaxed);
    co_await d_.outbox.finish(mail.id, MailState::skipped, now, "no active account");
    co_return;
  }
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
  co_await record(mail, d_.mailer.send(rendered, mail.id));
}

boost::asio::awaitable<void> MailDelivery::record(const models::OutboxMail& mail,
                                                  const mail::SendResult& r) {
  const std::int64_t now = d_.clock.now_micros();
  if (r.delivery == mail::Delivery::sent) {
    d_.stats.sent.fetch_add(1, std::memory_order_relaxed);
    co_await d_.outbox.finish(mail.id, MailState::sent, now, "");
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
    co_return;
  }
  d_.stats.retried.fetch_add(1, std::memory_order_relaxed);
  co_await d_.outbox.retry_at(mail.id, now + backoff_micros(mail.attempts), r.reason);
}

}  // namespace gh::services
