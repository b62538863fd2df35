#pragma once
// The development key file: read it, or create it once with a fresh random key.
#include <optional>
#include <string>

namespace gh::config::detail {

// The key in `path`, trimmed; nothing when the file does not exist.
std::optional<std::string> read_key_file(const std::string& path);

// Generates a key and writes it to `path` (mode 0600) atomically. When another process
// created the file first, its key is returned instead, so both use the same one.
std::string create_key_file(const std::string& path);

}  // namespace gh::config::detail
