#pragma once
// List settings: a JSON list of strings, as in the reference `.env`, or a comma-separated list.
#include <string>
#include <string_view>
#include <vector>

namespace gh::config::detail {

// Items are trimmed; empty items of a comma list are dropped; an empty value is an empty list.
std::vector<std::string> parse_list(const std::string& name, std::string_view text);

// Each item is "*" or scheme://host[:port] with no path, query or user; returned lower-cased
// because browsers send the Origin header that way and CORS compares it byte for byte.
std::vector<std::string> parse_origins(const std::string& name, std::string_view text);

// Each item is an IPv4 or IPv6 address or network ("10.0.0.0/8", "fd00::/8"), returned in
// canonical form so an address compares equal to the peer address as the server prints it.
std::vector<std::string> parse_addresses(const std::string& name, std::string_view text);

}  // namespace gh::config::detail
