#pragma once
// Timestamps as the API shows them (RFC 3339, UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh {

// "2026-11-25T14:20:00.123456Z": UTC, always six fraction digits. Pure arithmetic,
// no gmtime and its shared buffer.
std::string format_rfc3339(std::int64_t unix_micros);
// The same text appended to `out`, without a string of its own.
void append_rfc3339(std::string& out, std::int64_t unix_micros);
// An RFC 3339 date-time ("2026-11-25T14:20:00Z", "2026-11-25T16:20:00.5+02:00") as
// microseconds since the epoch, or nothing when it is not one. Years 0001 to 9999; digits
// past the sixth of a fraction are dropped (rounded down); no leap second (":60").
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace gh
