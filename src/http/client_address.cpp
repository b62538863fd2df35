#include "http/client_address.hpp"
#include "http/ows.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace gh::http {
namespace {

namespace ip = boost::asio::ip;

// An IPv4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d; it is the IPv4 address.
ip::address plain(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

bool in_network(const ip::address& a, const std::string& network) {
  boost::system::error_code ec;
  if (a.is_v4()) {
    auto net = ip::make_network_v4(network, ec);
    return !ec && ip::network_v4(a.to_v4(), net.prefix_length()).canonical() == net.canonical();
  }
  auto net = ip::make_network_v6(network, ec);
  return !ec && ip::network_v6(a.to_v6(), net.prefix_length()).canonical() == net.canonical();
}

bool trusted(const ip::address& a, const std::vector<std::string>& proxies) {
  const std::string text = a.to_string();
  return std::any_of(proxies.begin(), proxies.end(), [&](const std::string& p) {
    return p.find('/') == std::string::npos ? p == text : in_network(a, p);
  });
}

// A forwarded hop as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
// `[2001:db8::1]` or `[2001:db8::1]:80`. Read wrongly, a hop with a port would be garbage,
// and every client behind that proxy would share the proxy's one bucket.
// A malformed hop comes back whole, to be refused as garbage by the address parser.
std::string_view without_port(std::string_view hop) {
  const auto is_port = [](std::string_view s) {
    return s.size() > 1 && s.size() <= 6 && s.front() == ':' &&
           std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!hop.empty() && hop.front() == '[') {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return hop;
    const std::string_view rest = hop.substr(close + 1);
    return rest.empty() || is_port(rest) ? hop.substr(1, close - 1) : hop;
  }
  const auto colon = hop.find(':');
  // One colon is an IPv4 address and its port; more are an IPv6 address without brackets.
  if (colon == std::string_view::npos || hop.find(':', colon + 1) != std::string_view::npos)
    return hop;
  return is_port(hop.substr(colon)) ? hop.substr(0, colon) : hop;
}

}  // namespace

std::string client_address(const std::string& peer_ip, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  // Most requests come straight from their client over IPv4: its text is the answer.
  if (forwarded_for.empty() && peer_ip.find(':') == std::string::npos) return peer_ip;
  boost::system::error_code ec;
  const auto peer = ip::make_address(peer_ip, ec);
  if (ec) return peer_ip;
  ip::address current = plain(peer);
  if (forwarded_for.empty() || !trusted(current, trusted_proxies)) {
    // The peer's own text, unless it was an IPv4-mapped form: formatting an address again
    // (inet_ntop, sprintf) cost 7% of a small request.
    return current == peer ? peer_ip : current.to_string();
  }
  // Walk from the nearest hop outwards; stop at the first address we do not trust.
  while (!forwarded_for.empty() && trusted(current, trusted_proxies)) {
    auto comma = forwarded_for.rfind(',');
    std::string_view hop =
        trim_ows(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    auto addr = ip::make_address(std::string(without_port(hop)), ec);
    if (ec) break;  // garbage in the header: keep the last address we could vouch for
    current = plain(addr);
  }
  return current.to_string();
}

bool is_trusted_proxy(const std::string& peer_ip, const std::vector<std::string>& trusted_proxies) {
  if (trusted_proxies.empty()) return false;
  boost::system::error_code ec;
  const auto peer = ip::make_address(peer_ip, ec);
  return !ec && trusted(plain(peer), trusted_proxies);
}

std::string address_group(const std::string& client_ip, int ipv6_prefix) {
  if (client_ip.find(':') == std::string::npos) return client_ip;  // IPv4: the address itself
  boost::system::error_code ec;
  const auto a = ip::make_address_v6(client_ip, ec);
  if (ec) return client_ip;
  // A dual-stack socket's IPv4 peer: its own address, not the mapped range's one network.
  if (a.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a).to_string();
  const auto prefix = static_cast<unsigned short>(std::clamp(ipv6_prefix, 0, 128));
  const auto network = ip::network_v6(a, prefix).canonical();
  return network.address().to_string() + "/" + std::to_string(prefix);
}

}  // namespace gh::http
