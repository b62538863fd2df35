#include "config/mail_settings.hpp"

#include "config/text.hpp"
#include "config/values.hpp"

namespace gh::config::detail {
namespace {

const std::string* find(const Environment& env, const std::string& name) {
  const auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

void integer(const Environment& env, const std::string& name, int& field, int min, int max) {
  if (const auto* text = find(env, name))
    field = static_cast<int>(parse_integer(name, *text, min, max));
}

// smtp://host[:port] or smtps://host[:port], user and password optional. Checked here so a
// typo fails at start, not at the first mail; the value may hold a password and is never
// repeated in the message.
void check_smtp_url(const std::string& url) {
  const bool scheme = url.starts_with("smtp://") || url.starts_with("smtps://");
  const std::size_t authority = url.find("//") + 2;
  const std::size_t at = url.find('@', authority);
  const std::size_t host = at == std::string::npos ? authority : at + 1;
  if (!scheme || url.size() <= host || url[host] == ':' || url[host] == '/' ||
      url.find_first_of(" \t\r\n") != std::string::npos)
    throw ConfigError("SMTP_URL",
                      "expected smtp://[user:password@]host[:port] or smtps://...; the value "
                      "is not repeated here, as it may hold a password");
}

// An absolute http(s) URL holding {token} once: the link a mail carries.
std::string link_template(const Environment& env, const std::string& name, std::string fallback) {
  const auto* text = find(env, name);
  if (!text) return fallback;
  std::string url(trim(*text));
  const auto first = url.find("{token}");
  const bool scheme = url.starts_with("http://") || url.starts_with("https://");
  if (!scheme || first == std::string::npos ||
      url.find("{token}", first + 1) != std::string::npos ||
      url.find_first_of(" \t\"<>") != std::string::npos)
    throw ConfigError(
        name, "expected an http:// or https:// URL holding {token} once, got " + quoted(*text));
  return url;
}

}  // namespace

void load_mail(const Environment& env, Settings& s) {
  if (const auto* text = find(env, "SMTP_URL")) s.smtp_url = std::string(trim(*text));
  if (!s.smtp_url.empty()) check_smtp_url(s.smtp_url);
  if (const auto* text = find(env, "MAIL_FROM")) {
    s.mail_from = std::string(trim(*text));
    if (s.mail_from.find('@') == std::string::npos ||
        s.mail_from.find_first_of("\r\n") != std::string::npos)
      throw ConfigError("MAIL_FROM",
                        "expected an address, e.g. \"Example <no-reply@example.com>\"");
  }
  integer(env, "MAIL_RETRY_HOURS", s.mail_retry_hours, 1, 24 * 30);
  integer(env, "MAIL_RETRY_SECONDS", s.mail_retry_seconds, 1, 3600);
  integer(env, "MAIL_POLL_MILLISECONDS", s.mail_poll_milliseconds, 10, 60'000);
  integer(env, "MAIL_PER_ACCOUNT_PER_HOUR", s.mail_per_account_per_hour, 1, 1000);
  integer(env, "PASSWORD_RESET_TTL_MINUTES", s.password_reset_ttl_minutes, 1, 24 * 60);
  integer(env, "EMAIL_VERIFICATION_TTL_HOURS", s.email_verification_ttl_hours, 1, 24 * 30);
  if (const auto* text = find(env, "EMAIL_VERIFICATION"))
    s.email_verification =
        parse_choice("EMAIL_VERIFICATION", *text, {"off", "optional", "required"});
  s.password_reset_url =
      link_template(env, "PASSWORD_RESET_URL", s.public_url + "/reset-password?token={token}");
  s.email_verification_url =
      link_template(env, "EMAIL_VERIFICATION_URL", s.public_url + "/verify-email?token={token}");
  s.invitation_url =
      link_template(env, "INVITATION_URL", s.public_url + "/accept-invitation?token={token}");
  if (const auto* text = find(env, "MAIL_TEMPLATES_DIR")) s.mail_templates_dir = *text;
  // A part-one deployment without mail keeps starting; one that asks for verification must
  // be able to send it.
  if (s.production() && s.smtp_url.empty() && s.verification_on())
    throw ConfigError("EMAIL_VERIFICATION",
                      "is " + s.email_verification +
                          " but SMTP_URL is unset: production cannot send the mails it needs");
  if (!s.smtp_url.empty() && s.smtp_url.starts_with("smtp://") && s.production())
    s.warnings.push_back(
        "SMTP_URL is smtp://: mail goes in clear unless the server offers STARTTLS; use "
        "smtps:// for a server that does not");
}

}  // namespace gh::config::detail
