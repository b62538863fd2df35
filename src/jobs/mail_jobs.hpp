#pragma once
// The mail side of a serving instance: the outbox worker (with its templates and mailer) and
// the purge of finished mail and expired link tokens, each on a thread of its own. Built at
// start, so a template that does not load refuses the start rather than the first mail.
#include <chrono>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/purge_stats.hpp"
#include "db/database.hpp"
#include "db/mail_outbox_repository.hpp"
#include "db/mail_token_repository.hpp"
#include "db/user_repository.hpp"
#include "jobs/mail_worker.hpp"
#include "jobs/purge.hpp"
#include "mail/mailer.hpp"
#include "mail/templates.hpp"
#include "services/audit_log.hpp"
#include "services/crypto/token_hasher.hpp"
#include "services/mail_delivery.hpp"

namespace gh::jobs {

struct MailJobOptions {
  std::string smtp_url;  // empty: mails are written to the log (development)
  std::string mail_from;
  std::string templates_dir;
  services::MailDeliveryOptions delivery;
  std::chrono::milliseconds poll{1000};
  PurgeOptions purge;  // finished mail and expired tokens, past the retention
};

struct MailJobDeps {
  db::Database& work;   // the worker's (its own on PostgreSQL)
  db::Database& purge;  // the purge's (its own on PostgreSQL)
  const crypto::TokenHasher& hasher;
  const Clock& clock;
  services::MailStats& stats;
  PurgeStats& purge_stats;
  services::AuditLog& audit;
};

class MailJobs {
 public:
  MailJobs(MailJobDeps deps, const MailJobOptions& options);
  ~MailJobs() { stop(); }
  MailJobs(const MailJobs&) = delete;
  MailJobs& operator=(const MailJobs&) = delete;

  void start();
  void stop();

 private:
  db::MailOutboxRepository outbox_;
  db::MailTokenRepository tokens_;
  db::UserRepository users_;
  db::MailOutboxRepository purged_outbox_;
  db::MailTokenRepository purged_tokens_;
  mail::Templates templates_;
  std::unique_ptr<mail::Mailer> mailer_;
  services::MailDelivery delivery_;
  MailWorker worker_;
  Purge purge_;
  bool purging_;
};

}  // namespace gh::jobs
