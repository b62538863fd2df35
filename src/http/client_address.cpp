#include "http/client_address.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>

namespace gh::http {
namespace {

bool trusted(const std::string& ip, const std::vector<std::string>& proxies) {
  return std::find(proxies.begin(), proxies.end(), ip) != proxies.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string client_address(const std::string& peer_ip, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (forwarded_for.empty() || !trusted(peer_ip, trusted_proxies)) return peer_ip;
  std::string current = peer_ip;
  // Walk from the nearest hop outwards; stop at the first address we do not trust.
  while (!forwarded_for.empty() && trusted(current, trusted_proxies)) {
    auto comma = forwarded_for.rfind(',');
    std::string_view hop =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{}
                                                    : forwarded_for.substr(0, comma);
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(std::string(hop), ec);
    if (ec) break;  // garbage in the header: keep the last address we could vouch for
    current = addr.to_string();
  }
  return current;
}

}  // namespace gh::http
