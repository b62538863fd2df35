#pragma once
// The mail settings (API.md part two, "Email"), read after PUBLIC_URL, which the default
// links are built on.
#include "config/settings.hpp"

namespace gh::config::detail {

// Throws ConfigError naming the variable; SMTP_URL's value is never quoted back.
void load_mail(const Environment& env, Settings& s);

}  // namespace gh::config::detail
