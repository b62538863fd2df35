#pragma once
// The email flows' request side (API.md part two, "Email"): a reset asked for, a link's token
// taken (reset, verification, invitation), a mail asked again. Every request only queues
// work or spends a token; mail is sent by the worker (services/mail_delivery), and tokens are
// spent by a POST, once (db/mail_token_repository).
#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "db/mail_outbox_repository.hpp"
#include "db/mail_token_repository.hpp"
#include "db/user_repository.hpp"
#include "services/audit_log.hpp"
#include "services/auth_service.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/mail_queue.hpp"

namespace gh::services {

struct EmailFlowDeps {
  db::UserRepository& users;
  db::MailOutboxRepository& outbox;
  db::MailTokenRepository& tokens;
  const crypto::TokenHasher& token_hasher;
  crypto::PasswordHasher& hasher;
  AuthService& auth;  // the session an accepted invitation opens
  const Clock& clock;
  AuditLog& audit;
  // Mails asked for per address (or account) and hour, MAIL_PER_ACCOUNT_PER_HOUR.
  RateLimiter& mail_requests;
  MailPolicy policy;
};

class EmailFlows {
 public:
  explicit EmailFlows(EmailFlowDeps deps) : d_(deps) {}

  // Queues a reset for `email`, known or not: the same work and answer for every address;
  // past the per-address limit nothing is queued, silently. 503 EMAIL_UNAVAILABLE.
  boost::asio::awaitable<void> request_password_reset(const std::string& email);
  // The new password set from a reset link: every session ends, the address counts as
  // verified. 400 INVALID_OR_EXPIRED_TOKEN.
  boost::asio::awaitable<void> confirm_password_reset(const std::string& token,
                                                      std::string new_password,
                                                      const ClientInfo& from);
  // 400 INVALID_OR_EXPIRED_TOKEN.
  boost::asio::awaitable<void> verify_email(const std::string& token, const ClientInfo& from);
  // Nothing when already verified; 429 past the per-account limit; 503.
  boost::asio::awaitable<void> resend_verification(const models::User& user);
  // An admin's: a reset or verification mail for user `id`. 404, 503.
  boost::asio::awaitable<void> send_to_user(const std::string& id, models::MailKind kind);
  // The invitation's password set, the address verified, and a session opened.
  // 400 INVALID_OR_EXPIRED_TOKEN.
  boost::asio::awaitable<TokenPair> accept_invitation(const std::string& token,
                                                      std::string password, const ClientInfo& from);

 private:
  // The owner of `token` spent for `purpose` with `new_password` hashed first (a guessed
  // token costs no hash: its usability is checked before); the hash in `hash`.
  boost::asio::awaitable<db::MailTokenOwner> spend_with_password(const std::string& token,
                                                                 models::MailKind purpose,
                                                                 std::string new_password,
                                                                 std::string& hash);
  boost::asio::awaitable<db::MailTokenOwner> spend(const std::string& token,
                                                   models::MailKind purpose);
  // The active user a token was mailed for, still at that address; 400 otherwise.
  boost::asio::awaitable<models::User> owner_account(const db::MailTokenOwner& owner);

  EmailFlowDeps d_;
};

}  // namespace gh::services
