#pragma once
// The mails' words: a subject, a plain text and an HTML body per kind, compiled in and
// overridable from a folder (MAIL_TEMPLATES_DIR: <kind>.subject, <kind>.txt, <kind>.html,
// each optional). Placeholders are {link}, {email} and {valid_for}; in the HTML body every
// value is HTML-escaped, so an address cannot inject markup.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "mail/message.hpp"

namespace gh::mail {

struct Template {
  std::string subject;
  std::string text;
  std::string html;
};

class Templates {
 public:
  // The compiled-in templates, with any file of `dir` in place of its default (empty: none).
  // Throws std::runtime_error naming a file that cannot be read or uses an unknown
  // placeholder.
  explicit Templates(const std::string& dir = {});

  // `kind`: "password_reset", "email_verification" or "invitation".
  Mail render(std::string_view kind, const std::string& to,
              const std::map<std::string, std::string>& values) const;

 private:
  std::map<std::string, Template, std::less<>> by_kind_;
};

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

}  // namespace gh::mail
