#pragma once
// Unguessable tokens from the operating system's CSPRNG.
#include <cstddef>
#include <string>

namespace gh {

// `bytes` random bytes, base64url-encoded (no padding).
std::string random_token(std::size_t bytes);

}  // namespace gh
