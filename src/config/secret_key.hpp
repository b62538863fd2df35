#pragma once
// SECRET_KEY policy: what production refuses, and where development gets its key.
#include <optional>
#include <string>
#include <string_view>

namespace gh::config::detail {

// Values copied from tutorials and templates, which anyone can use to forge tokens.
bool is_placeholder_key(std::string_view key);

// Production: `given`, refused when missing, shorter than 32 bytes or a placeholder.
// Development: `given` as it is, else the key kept in `key_file`, else a new one saved there.
std::string resolve_secret_key(const std::optional<std::string>& given, bool production,
                               const std::string& key_file);

}  // namespace gh::config::detail
