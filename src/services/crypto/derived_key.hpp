#pragma once
// Keys derived from SECRET_KEY, one per use, so that no two uses share a key and none is
// SECRET_KEY itself (which signs the HS256 tokens).
#include <array>
#include <string_view>

namespace gh::crypto {

using Key32 = std::array<unsigned char, 32>;

// BLAKE2b of `secret_key` (any length) to 64 bytes, which then keys a second BLAKE2b of
// "`scheme`\0`purpose`". The caller wipes the result when done (sodium_memzero).
Key32 derive_key(std::string_view secret_key, std::string_view scheme, std::string_view purpose);

}  // namespace gh::crypto
