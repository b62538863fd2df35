#pragma once
// Hands one message to an SMTP server with libcurl: STARTTLS when an smtp:// server offers
// it, implicit TLS for smtps://, the user and password of the URL for AUTH. Blocking: called
// from the outbox worker's thread only, never from an io thread.
#include <chrono>
#include <string>
#include <string_view>

namespace gh::mail {

struct SmtpOptions {
  std::string url;   // SMTP_URL: smtp[s]://[user[:password]@]host[:port]; never logged
  std::string from;  // MAIL_FROM: "Name <address>" or an address
  std::chrono::milliseconds timeout{30000};  // the whole exchange, connection included
};

enum class Delivery {
  sent,      // the server took it (250 after DATA)
  retry,     // not now: unreachable, timed out, a 4xx, TLS that failed; try again later
  rejected,  // a 5xx: the server will not take this mail, however often it is sent
};

struct SendResult {
  Delivery delivery = Delivery::retry;
  std::string reason;  // for the log and the row: the SMTP code and libcurl's words
};

class SmtpSender {
 public:
  explicit SmtpSender(SmtpOptions options);
  // `message` is the whole RFC 5322 message (render_message); `to` its one recipient.
  SendResult send(std::string_view to, std::string_view message) const;

 private:
  SmtpOptions options_;
  std::string envelope_from_;  // the bare address of `from`
};

}  // namespace gh::mail
