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

}  // namespace gh::http
