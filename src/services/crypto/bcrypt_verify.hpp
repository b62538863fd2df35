#pragma once
// bcrypt hashes as the reference app stores them (passlib writes "$2b$12$..."), checked
// with the system's libxcrypt (crypt_r), so a team can bring its users table across.
// gatehouse never writes bcrypt: a user's hash becomes Argon2id at their next login.
#include <string>
#include <string_view>

namespace gh::crypto {

// "$2a$", "$2b$" or "$2y$", a two-digit cost and 53 characters of salt and hash.
bool is_bcrypt_hash(std::string_view encoded);

// True when `password` matches. False for a wrong password, a malformed hash, and a
// password with a NUL byte (crypt reads a C string, so "abc\0x" would pass as "abc").
// Costs one bcrypt run: call it off the io threads.
bool bcrypt_verify(const std::string& encoded, const std::string& password);

}  // namespace gh::crypto
