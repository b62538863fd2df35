#pragma once
// Where a rendered mail goes: an SMTP server (SMTP_URL), or, in development with none set,
// the log, as one line a person can read and click through. That line is the one place a
// link with its token is ever logged.
#include <memory>
#include <string_view>

#include "mail/message.hpp"
#include "mail/smtp_sender.hpp"

namespace gh::mail {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Blocking (SMTP): called from the outbox worker's thread only. `message_id` names the
  // mail in its Message-ID header (the outbox row's id).
  virtual SendResult send(const Mail& mail, std::string_view message_id) const = 0;
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  SendResult send(const Mail& mail, std::string_view message_id) const override;

 private:
  std::string from_;
  SmtpSender sender_;
};

class LogMailer final : public Mailer {
 public:
  SendResult send(const Mail& mail, std::string_view message_id) const override;
};

// RFC 5322's date-time of `unix_seconds`, in UTC: "Thu, 03 Dec 2026 07:00:00 +0000".
std::string rfc5322_date(long long unix_seconds);

}  // namespace gh::mail
