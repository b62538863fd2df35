#pragma once
// A keyset position as a client holds it, the `cursor` of every paged list: base64url of
// "<tag><microseconds>.<uuid>". The tag names the list and its version, so a cursor of one
// list (or an older form) is refused by another rather than misread as a position.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::schemas {

struct CursorPosition {
  std::int64_t micros = 0;  // the row's time (created_at, occurred_at)
  std::string id;           // the row's id, canonical
};

std::string encode_position(std::string_view tag, std::int64_t micros, std::string_view id);
// Nothing unless `text` is a cursor of `tag` whose time both databases can store
// (models::kFirstPositionMicros..kLastPositionMicros) and whose id is a UUID.
std::optional<CursorPosition> decode_position(std::string_view tag, std::string_view text);

}  // namespace gh::schemas
