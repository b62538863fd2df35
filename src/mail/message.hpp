#pragma once
// A mail as gatehouse sends it: one recipient, a subject, a plain text and an HTML part,
// and its RFC 5322 form (multipart/alternative, UTF-8, base64 parts).
#include <string>
#include <string_view>

namespace gh::mail {

struct Mail {
  std::string to;       // one address, already validated (no name, no CR or LF)
  std::string subject;  // UTF-8 text; encoded as RFC 2047 when not plain ASCII
  std::string text;     // the text/plain part
  std::string html;     // the text/html part
};

// The bare address of a From setting: "Name <a@example.com>" gives "a@example.com", a bare
// address gives itself. Empty when there is none, or when it holds CR, LF, '<' or '>'
// where it should not.
std::string address_of(std::string_view mailbox);

// The whole message: headers (From, To, Subject, Date, Message-ID, MIME-Version,
// Content-Type) and both parts. `from` is MAIL_FROM as configured; `message_id` the
// left-hand side of the Message-ID (an id of ours), `date` RFC 5322's date-time. Throws
// std::invalid_argument when a header value holds CR or LF (no header injection).
std::string render_message(const Mail& mail, std::string_view from, std::string_view message_id,
                           std::string_view date);

}  // namespace gh::mail
