#pragma once
// The validation rules shared by several schemas.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gh::schemas {

inline constexpr std::size_t kPasswordMin = 8;
inline constexpr std::size_t kPasswordMax = 128;
inline constexpr std::size_t kEmailMax = 254;  // RFC 5321's path limit, less the brackets

// The lower-cased address when `email` is a plausible address, else a reason in `why`.
std::optional<std::string> normalize_email(std::string_view email, std::string& why);

// Characters (code points) in valid UTF-8 text; the JSON parser already rejected
// invalid UTF-8.
std::size_t utf8_length(std::string_view text);

// "" when the password's length is acceptable, else the message.
std::string password_problem(std::string_view password);

}  // namespace gh::schemas
