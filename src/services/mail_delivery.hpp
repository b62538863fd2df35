#pragma once
// Delivers the outbox's mails, one leased attempt at a time: decides whether a mail goes
// out at all (a reset for an address with no active account does not, and the request that
// queued it answered the same either way), makes the link's token (only its keyed hash is
// stored), renders the mail and hands it to the mailer; then finishes the row, or sets it
// due again with backoff until MAIL_RETRY_HOURS have passed.
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
#include "services/crypto/token_hasher.hpp"

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
  std::int64_t lease_micros = 120LL * 1'000'000;  // longer than an SMTP exchange may take
};

// Counted since start, for /metrics.
struct MailStats {
  std::atomic<std::uint64_t> sent{0}, retried{0}, failed{0}, skipped{0};
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
};

class MailDelivery {
 public:
  MailDelivery(MailDeliveryDeps deps, MailDeliveryOptions options)
      : d_(deps), options_(std::move(options)) {}

  // Claims up to `limit` due mails and delivers each; how many it claimed.
  boost::asio::awaitable<int> run_once(int limit);

  // The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
  static std::int64_t backoff_micros(int attempts);

 private:
  boost::asio::awaitable<void> deliver(const models::OutboxMail& mail);
  boost::asio::awaitable<void> record(const models::OutboxMail& mail, const mail::SendResult& r);

  MailDeliveryDeps d_;
  MailDeliveryOptions options_;
};

}  // namespace gh::services
