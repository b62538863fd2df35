#include "schemas/rules.hpp"

#include <algorithm>
#include <cctype>

namespace gh::schemas {
namespace {

bool atext(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
}

bool valid_local(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  return std::all_of(local.begin(), local.end(), atext);
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

bool valid_domain(std::string_view domain) {
  if (domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    if (!valid_label(domain.substr(start, dot - start))) return false;
    start = dot + 1;
  }
  // The top-level label is never all digits (that would be an IP address).
  auto tld = domain.substr(domain.rfind('.') + 1);
  return !std::all_of(tld.begin(), tld.end(), [](char c) { return std::isdigit(c); });
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view email, std::string& why) {
  auto at = email.rfind('@');
  if (email.size() > kEmailMax || at == std::string_view::npos ||
      !valid_local(email.substr(0, at)) || !valid_domain(email.substr(at + 1))) {
    why = "Not a valid email address";
    return std::nullopt;
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string password_problem(std::string_view password) {
  auto n = utf8_length(password);
  if (n < kPasswordMin) return "Password must be at least 8 characters";
  if (n > kPasswordMax) return "Password must be at most 128 characters";
  return {};
}

}  // namespace gh::schemas
