#pragma once
// UUIDs as the API shows them: canonical, lower-case text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::uuid {

// RFC 9562 UUIDv7: 48-bit Unix milliseconds, then the sub-millisecond fraction in
// rand_a (so ids made a microsecond apart still sort in time order), then 62 random
// bits. Times before the epoch are clamped to it.
std::string v7(std::int64_t unix_micros);

// Accepts exactly 8-4-4-4-12 hex digits in any case; returns the lower-case form.
std::optional<std::string> parse(std::string_view text);

}  // namespace gh::uuid
