#pragma once
// What the request side knows of mail: whether it can go out at all, whether sign-ups are
// verified, and the outbox row that queues one, written in the transaction of what causes
// it (the worker, services/mail_delivery, sends it).
#include <cstdint>
#include <string>

#include "db/database.hpp"
#include "models/mail.hpp"

namespace gh::services {

struct MailPolicy {
  bool available = true;         // a mail server, or (development) the log; else 503
  bool verification_on = false;  // EMAIL_VERIFICATION optional or required
};

// The INSERT queueing a mail of `kind` to `recipient`; `user_id` empty when the request named
// only an address (a reset: whether it has an account is the worker's to find out).
db::Statement queue_mail(models::MailKind kind, const std::string& recipient,
                         const std::string& user_id, std::int64_t now);

// 503 EMAIL_UNAVAILABLE when `policy` says no mail can go out.
void require_mail(const MailPolicy& policy);

}  // namespace gh::services
