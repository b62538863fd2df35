#pragma once
// Base64url without padding (RFC 4648 section 5), as JWTs and our random tokens use it.
#include <optional>
#include <string>
#include <string_view>

namespace gh {

std::string base64url_encode(std::string_view bytes);

// Strict: refuses padding, characters outside the URL-safe alphabet, lengths no
// encoder produces and non-zero trailing bits, so every byte string has exactly
// one accepted text form (a token cannot be altered without changing its meaning).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace gh
