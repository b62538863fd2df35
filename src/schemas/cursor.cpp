#include "schemas/cursor.hpp"

#include <charconv>

#include "core/base64url.hpp"
#include "core/uuid.hpp"
#include "models/user_query.hpp"

namespace gh::schemas {

std::string encode_position(std::string_view tag, std::int64_t micros, std::string_view id) {
  std::string raw(tag);
  raw += std::to_string(micros);
  raw.push_back('.');
  raw += id;
  return base64url_encode(raw);
}

std::optional<CursorPosition> decode_position(std::string_view tag, std::string_view text) {
  auto raw = base64url_decode(text);
  if (!raw || !raw->starts_with(tag)) return std::nullopt;
  std::string_view rest = std::string_view(*raw).substr(tag.size());
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  CursorPosition p;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + dot, p.micros);
  if (ec != std::errc{} || end != rest.data() + dot) return std::nullopt;
  if (p.micros < models::kFirstPositionMicros || p.micros > models::kLastPositionMicros)
    return std::nullopt;
  auto id = uuid::parse(rest.substr(dot + 1));
  if (!id) return std::nullopt;
  p.id = std::move(*id);
  return p;
}

}  // namespace gh::schemas
