#pragma once
// Who the client is. X-Forwarded-For is believed only from a trusted proxy, and then only
// up to the first hop that is not itself trusted, so a client cannot forge its way past
// a per-address limit. `trusted_proxies` holds canonical addresses and networks
// ("10.0.0.0/8"); IPv4-mapped IPv6 peers count as their IPv4 address.
#include <string>
#include <string_view>
#include <vector>

namespace gh::http {

std::string client_address(const std::string& peer_ip, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

// True when `peer_ip` is one of the trusted proxies (an address or within a network).
bool is_trusted_proxy(const std::string& peer_ip, const std::vector<std::string>& trusted_proxies);

// The key a per-client limit counts under: an IPv4 address itself, an IPv6 address's
// network of `ipv6_prefix` bits ("2001:db8:2:3::/64"). Almost every IPv6 client holds a
// whole /64 and can send from any address in it, so a limit keyed on the full address
// would be one that client varies at will.
std::string address_group(const std::string& client_ip, int ipv6_prefix);

}  // namespace gh::http
