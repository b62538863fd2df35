#pragma once
// Start-up checks of a configuration as a whole: settings that are each valid but together
// leave the service open. Refusals throw ConfigError; softer findings go to
// Settings::warnings.
#include "config/settings.hpp"

namespace gh::config::detail {

// Production refuses to listen on every interface (HOST=0.0.0.0 or ::) until TRUSTED_PROXIES
// says who forwards client addresses ("none" when clients connect directly): behind an
// unlisted proxy every client has the proxy's address, so one address's limits throttle
// everybody. Also warns about weak Argon2id parameters and, in development, about "*".
void check_production(const Environment& env, Settings& s);

}  // namespace gh::config::detail
