// The MIME message and its delivery by libcurl to a real SMTP server (aiosmtpd): taken,
// refused for now (451, nothing listening, no answer) or for good (550).
#include "mail/smtp_sender.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <regex>

#include "captured_stderr.hpp"
#include "core/log.hpp"
#include "mail/mailer.hpp"
#include "mail/message.hpp"
#include "smtp_process.hpp"
#include "temp_path.hpp"

namespace {

using namespace gh::mail;
using gh::test::SmtpProcess;

const Mail kMail{
    .to = "someone@example.com",
    .subject = "Reset your password",
    .text = "Open http://localhost:8000/reset-password?token=abc\n",
    .html = "<p><a href=\"http://localhost:8000/reset-password?token=abc\">Reset</a></p>"};

std::string unbase64(std::string text) {
  text.erase(
      std::remove_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }),
      text.end());
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return "<not base64>";
  out.resize(len);
  return out;
}

// The decoded body of the part of `type` in `message`.
std::string part_body(const std::string& message, const std::string& type) {
  const auto head = message.find("Content-Type: " + type);
  if (head == std::string::npos) return {};
  const auto start = message.find("\r\n\r\n", head) + 4;
  const auto end = message.find("\r\n--", start);
  return unbase64(message.substr(start, end - start));
}

TEST(MailMessage, HasBothPartsAndTheHeaders) {
  const auto m = render_message(kMail, "gatehouse <no-reply@example.org>", "id-1",
                                "Thu, 03 Dec 2026 07:00:00 +0000");
  EXPECT_NE(m.find("From: gatehouse <no-reply@example.org>\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: someone@example.com\r\n"), std::string::npos);
  EXPECT_NE(m.find("Subject: Reset your password\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <id-1@example.org>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_EQ(part_body(m, "text/plain"), kMail.text);
  EXPECT_EQ(part_body(m, "text/html"), kMail.html);
}

TEST(MailMessage, ASubjectBeyondAsciiIsEncodedAndLineBreaksAreRefused) {
  Mail mail = kMail;
  mail.subject = "Réinitialisez votre mot de passe — gatehouse";
  const auto m = render_message(mail, "a@example.org", "id", "date");
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(m.find("Réinitialisez"), std::string::npos);
  mail.subject = "Hi\r\nBcc: victim@example.com";
  EXPECT_THROW(render_message(mail, "a@example.org", "id", "date"), std::invalid_argument);
  mail = kMail;
  mail.to = "a@example.com\nBcc: b@example.com";
  EXPECT_THROW(render_message(mail, "a@example.org", "id", "date"), std::invalid_argument);
}

TEST(MailMessage, AddressOfAFromSetting) {
  EXPECT_EQ(address_of("gatehouse <no-reply@example.org>"), "no-reply@example.org");
  EXPECT_EQ(address_of("no-reply@example.org"), "no-reply@example.org");
  EXPECT_EQ(address_of("gatehouse"), "");
  EXPECT_EQ(address_of("x <a@b.c> trailing"), "");
  EXPECT_EQ(address_of("x <a@b.c\r\n>"), "");
}

class SmtpSenderTest : public ::testing::Test {
 protected:
  ~SmtpSenderTest() override { std::filesystem::remove_all(dir_.path()); }
  gh::test::TempPath dir_{""};
  SmtpOptions options(const std::string& url) {
    return {.url = url,
            .from = "gatehouse <no-reply@example.org>",
            .timeout = std::chrono::milliseconds(5000)};
  }
  std::string message() {
    return render_message(kMail, "gatehouse <no-reply@example.org>", "id-1",
                          "Thu, 03 Dec 2026 07:00:00 +0000");
  }
};

TEST_F(SmtpSenderTest, ARealServerTakesTheMailAsSent) {
  SmtpProcess smtp(dir_.path() / "mails");
  const auto r = SmtpSender(options(smtp.url())).send(kMail.to, message());
  EXPECT_EQ(r.delivery, Delivery::sent) << r.reason;
  const auto got = smtp.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(part_body(got[0], "text/plain"), kMail.text);
  EXPECT_EQ(part_body(got[0], "text/html"), kMail.html);
}

TEST_F(SmtpSenderTest, A4xxIsRetriedAndA5xxIsFinal) {
  SmtpProcess busy(dir_.path() / "busy", {"--fail-first", "1"});
  const SmtpSender sender(options(busy.url()));
  const auto first = sender.send(kMail.to, message());
  EXPECT_EQ(first.delivery, Delivery::retry);
  EXPECT_NE(first.reason.find("451"), std::string::npos) << first.reason;
  EXPECT_EQ(sender.send(kMail.to, message()).delivery, Delivery::sent);
  EXPECT_EQ(busy.received().size(), 1u);

  SmtpProcess refusing(dir_.path() / "refusing", {"--reject"});
  const auto refused = SmtpSender(options(refusing.url())).send(kMail.to, message());
  EXPECT_EQ(refused.delivery, Delivery::rejected);
  EXPECT_NE(refused.reason.find("550"), std::string::npos) << refused.reason;
}

TEST_F(SmtpSenderTest, NobodyListeningIsRetried) {
  const auto port = gh::test::free_port();
  const auto r =
      SmtpSender(options("smtp://127.0.0.1:" + std::to_string(port))).send(kMail.to, message());
  EXPECT_EQ(r.delivery, Delivery::retry) << r.reason;
}

TEST_F(SmtpSenderTest, AServerThatNeverAnswersTimesOutAsRetry) {
  // A listening socket nobody reads: the connection opens, the greeting never comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  auto opts = options("smtp://127.0.0.1:" + std::to_string(ntohs(a.sin_port)));
  opts.timeout = std::chrono::milliseconds(500);
  const auto r = SmtpSender(opts).send(kMail.to, message());
  ::close(fd);
  EXPECT_EQ(r.delivery, Delivery::retry) << r.reason;
}

TEST(MailDate, IsRfc5322InUtcWithEnglishNames) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1796281200), "Thu, 03 Dec 2026 07:00:00 +0000");
}

TEST_F(SmtpSenderTest, TheSmtpMailerSendsTheRenderedMail) {
  SmtpProcess smtp(dir_.path() / "mails");
  const auto r = SmtpMailer(options(smtp.url())).send(kMail, "01936f3e-outbox-row");
  EXPECT_EQ(r.delivery, Delivery::sent) << r.reason;
  const auto got = smtp.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].find("Message-ID: <01936f3e-outbox-row@example.org>"), std::string::npos);
  EXPECT_TRUE(std::regex_search(got[0], std::regex("Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} "
                                                   "\\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000")));
  EXPECT_EQ(part_body(got[0], "text/plain"), kMail.text);
}

TEST(LogMailer, WritesTheMailAsOneLogLineWithItsLink) {
  gh::log::configure(gh::log::Level::info, gh::log::Format::json);
  SendResult r;
  const auto line = gh::test::captured_stderr([&] { r = LogMailer().send(kMail, "row-1"); });
  EXPECT_EQ(r.delivery, Delivery::sent);
  EXPECT_NE(line.find("\"event\":\"mail_not_sent\""), std::string::npos) << line;
  EXPECT_NE(line.find("reset-password?token=abc"), std::string::npos) << line;
  EXPECT_NE(line.find("someone@example.com"), std::string::npos) << line;
}

}  // namespace
