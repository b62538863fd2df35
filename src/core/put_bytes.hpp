#pragma once
// Writing through a pointer into a buffer sized beforehand: the hot serializers (responses,
// log lines, JSON strings) size once and then copy, instead of appending piece by piece and
// checking a string's capacity at every piece.
#include <cstring>
#include <string_view>

namespace gh {

// Copies `bytes` to `at` and returns the end. An empty view may have no data at all, and
// memcpy from null is undefined even for 0 bytes.
inline char* put_bytes(char* at, std::string_view bytes) {
  if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
  return at + bytes.size();
}

}  // namespace gh
