#pragma once
// Delivers the outbox's mails, one leased attempt at a time: decides whether a mail goes
// out at all (a reset for an address with no active account does not, and the request that
// queued it answered the same either way), makes the link's token (only its keyed hash is
// stored), renders the mail and hands it to the mailer; then finishes the row, or sets it
// due again with backoff until MAIL_RETRY_HOURS have passed.
#include <array>
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "db/mail_outbox_repository.hpp"
#include "db/mail_token_repository.hpp"
#include "db/user_repository.hpp"
#include "mail/mailer.hpp"
#include "mail/templates.hpp"
#include "services/audit_log.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/mail_stats.hpp"

namespace gh::services {

struct MailDeliveryOptions {
  // Link templates holding {token} (PASSWORD_RESET_URL, EMAIL_VERIFICATION_URL,
  // INVITATION_URL), and how long each kind's token lives.
  std::string password_reset_url;
  std::string email_verification_url;
  std::string invitation_url;
  std::int64_t password_reset_ttl_micros = 3600LL * 1'000'000;
  std::int64_t email_verification_ttl_micros = 24 * 3600LL * 1'000'000;
  std::int64_t invitation_ttl_micros = 72 * 3600LL * 1'000'000;
  std::int64_t give_up_after_micros = 24 * 3600LL * 1'000'000;  // MAIL_RETRY_HOURS
  std::int64_t lease_micros = 120LL * 1'000'000;      // longer than an SMTP exchange may take
  std::int64_t retry_base_micros = 30LL * 1'000'000;  // MAIL_RETRY_SECONDS: the first wait
  int per_account_per_hour = 5;                       // MAIL_PER_ACCOUNT_PER_HOUR
};

struct MailDeliveryDeps {
  db::MailOutboxRepository& outbox;
  db::MailTokenRepository& tokens;
  db::UserRepository& users;
  const crypto::TokenHasher& hasher;
  const mail::Templates& templates;
  const mail::Mailer& mailer;
  const Clock& clock;
  MailStats& stats;
  AuditLog* audit = nullptr;  // password.reset_requested, email.*: when there is a log
};

class MailDelivery {
 public:
  MailDelivery(MailDeliveryDeps deps, MailDeliveryOptions options)
      : d_(deps), options_(std::move(options)) {}

  // Claims up to `limit` due mails and delivers each; how many it claimed.
  boost::asio::awaitable<int> run_once(int limit);

  // The wait before attempt `attempts + 1`: `base`, doubling, at most an hour.
  static std::int64_t backoff_micros(int attempts, std::int64_t base = 30LL * 1'000'000);

 private:
  boost::asio::awaitable<void> deliver(const models::OutboxMail& mail);
  // Why `mail` is not sent at all (no active account at the address, the address no longer
  // the user's, the per-account limit reached), or empty.
  boost::asio::awaitable<std::string> skip_reason(const models::OutboxMail& mail,
                                                  const std::optional<models::User>& user);
  boost::asio::awaitable<void> record(const models::OutboxMail& mail, const std::string& user_id,
                                      const mail::SendResult& r);
  void audit(models::AuditType type, models::AuditOutcome outcome, const std::string& user_id,
             const models::OutboxMail& mail, const std::string& reason);

  MailDeliveryDeps d_;
  MailDeliveryOptions options_;
};

}  // namespace gh::services
