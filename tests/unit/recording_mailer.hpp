#pragma once
// A mailer that keeps what it is handed and answers as told (the SMTP path itself is
// test_smtp_sender's), for the tests of what goes out.
#include <string_view>
#include <vector>

#include "mail/mailer.hpp"

namespace gh::test {

class RecordingMailer final : public mail::Mailer {
 public:
  mail::SendResult send(const mail::Mail& m, std::string_view) const override {
    sent.push_back(m);
    return next;
  }
  mutable std::vector<mail::Mail> sent;
  mail::SendResult next{mail::Delivery::sent, "SMTP 250"};
};

}  // namespace gh::test
