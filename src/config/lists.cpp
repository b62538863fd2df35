#include "config/lists.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "config/settings.hpp"
#include "config/text.hpp"
#include "config/values.hpp"

namespace gh::config::detail {

namespace {

std::vector<std::string> parse_json_list(const std::string& name, std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) {
    throw ConfigError(name, "expected a JSON list of strings or a comma-separated list");
  }
  std::vector<std::string> items;
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_string()) throw ConfigError(name, "expected a JSON list of strings");
    items.emplace_back(trim(item.get_string()));
  }
  return items;
}

std::vector<std::string> parse_comma_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    const std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return items;
}

bool is_origin(std::string_view text) {
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url || !url->has_authority() || url->has_userinfo()) return false;
  if (url->encoded_host().empty() || !url->encoded_path().empty()) return false;
  if (url->has_query() || url->has_fragment()) return false;
  return !url->has_port() || parse_port(url->port()).has_value();
}

std::string canonical_address(std::string_view text) {
  const std::string input(text);
  unsigned char bytes[sizeof(in6_addr)];
  char out[INET6_ADDRSTRLEN];
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, input.c_str(), bytes) == 1 &&
        inet_ntop(family, bytes, out, sizeof(out)) != nullptr) {
      return out;
    }
  }
  return {};
}

// "address/prefix" with the address canonical and the prefix within the family's width.
std::string canonical_network(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string address = canonical_address(text.substr(0, slash));
  const std::string_view prefix = text.substr(slash + 1);
  if (address.empty() || prefix.empty() || prefix.size() > 3 ||
      prefix.find_first_not_of("0123456789") != std::string_view::npos) {
    return {};
  }
  const int bits = std::stoi(std::string(prefix));
  const int width = address.find(':') == std::string::npos ? 32 : 128;
  return bits <= width ? address + "/" + std::to_string(bits) : std::string();
}

}  // namespace

std::vector<std::string> parse_list(const std::string& name, std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '[') return parse_json_list(name, text);
  return parse_comma_list(text);
}

std::vector<std::string> parse_origins(const std::string& name, std::string_view text) {
  std::vector<std::string> origins = parse_list(name, text);
  for (std::string& origin : origins) {
    if (origin != "*" && !is_origin(origin)) {
      throw ConfigError(name,
                        "expected \"*\" or an origin like https://example.com[:port] "
                        "without a path, got " +
                            quoted(origin));
    }
    origin = to_lower(origin);
  }
  return origins;
}

std::vector<std::string> parse_addresses(const std::string& name, std::string_view text) {
  std::vector<std::string> addresses = parse_list(name, text);
  for (std::string& address : addresses) {
    std::string canonical = address.find('/') == std::string::npos ? canonical_address(address)
                                                                   : canonical_network(address);
    if (canonical.empty()) {
      throw ConfigError(
          name, "expected IPv4 or IPv6 addresses or networks (10.0.0.0/8), got " + quoted(address));
    }
    address = std::move(canonical);
  }
  return addresses;
}

}  // namespace gh::config::detail
