#pragma once
// The mails gatehouse sends (API.md part two, "Email"), and a row of the outbox that holds
// one until the worker has sent it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::models {

enum class MailKind { password_reset, email_verification, invitation };

inline constexpr std::array<std::string_view, 3> kMailKindNames{"password_reset",
                                                                "email_verification", "invitation"};

constexpr std::string_view mail_kind_name(MailKind k) {
  return kMailKindNames[static_cast<std::size_t>(k)];
}
constexpr std::optional<MailKind> parse_mail_kind(std::string_view name) {
  for (std::size_t i = 0; i < kMailKindNames.size(); ++i)
    if (kMailKindNames[i] == name) return static_cast<MailKind>(i);
  return std::nullopt;
}

// queued (waiting, or leased for an attempt) -> sent | skipped (nothing to send: an unknown
// address asked for a reset) | failed (refused for good, or past MAIL_RETRY_HOURS).
enum class MailState { queued, sent, skipped, failed };

inline constexpr std::array<std::string_view, 4> kMailStateNames{"queued", "sent", "skipped",
                                                                 "failed"};

constexpr std::string_view mail_state_name(MailState s) {
  return kMailStateNames[static_cast<std::size_t>(s)];
}

struct OutboxMail {
  std::string id;
  MailKind kind = MailKind::password_reset;
  std::string recipient;  // the address as asked for (normalised), known or not
  std::string user_id;    // empty when the request named only an address
  int attempts = 0;       // including the one now leased
  std::int64_t created_at = 0;
};

}  // namespace gh::models
