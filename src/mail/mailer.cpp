#include "mail/mailer.hpp"

#include <ctime>

#include "core/log.hpp"

namespace gh::mail {

std::string rfc5322_date(long long unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Names in English whatever the locale: strftime's %a and %b would follow it.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char out[40];
  std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return out;
}

SmtpMailer::SmtpMailer(SmtpOptions options) : from_(options.from), sender_(std::move(options)) {}

SendResult SmtpMailer::send(const Mail& mail, std::string_view message_id) const {
  const auto message = render_message(mail, from_, message_id, rfc5322_date(std::time(nullptr)));
  return sender_.send(mail.to, message);
}

SendResult LogMailer::send(const Mail& mail, std::string_view message_id) const {
  log::info("mail_not_sent", {{"reason", std::string_view("SMTP_URL is unset: the mail is "
                                                          "logged instead (development)")},
                              {"id", message_id},
                              {"to", mail.to},
                              {"subject", mail.subject},
                              {"text", mail.text}});
  return {Delivery::sent, "logged"};
}

}  // namespace gh::mail
