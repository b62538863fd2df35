#pragma once
// Refresh token ids are stored only as hashes, so a copy of the database cannot be
// replayed as live tokens.
#include <string>
#include <string_view>

namespace gh::crypto {

// Lower-case hex of SHA-256(jti): 64 characters.
std::string hash_token_id(std::string_view jti);

}  // namespace gh::crypto
