#pragma once
// Timestamps as the API shows them (RFC 3339, UTC).
#include <cstdint>
#include <string>

namespace gh {

// "2026-11-25T14:20:00.123456Z": UTC, always six fraction digits. Pure arithmetic,
// no gmtime and its shared buffer.
std::string format_rfc3339(std::int64_t unix_micros);
// The same text appended to `out`, without a string of its own.
void append_rfc3339(std::string& out, std::int64_t unix_micros);

}  // namespace gh
