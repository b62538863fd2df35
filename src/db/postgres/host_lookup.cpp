#include "db/postgres/host_lookup.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string_view>

#include "db/database.hpp"

namespace gh::db::postgres {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

struct ParsedHosts {
  std::string host;
  std::string hostaddr;
  std::string port;
};

// The three keywords as written in `conninfo` (no defaults filled in), or nullopt when
// libpq cannot parse it.
std::optional<ParsedHosts> parse_hosts(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return std::nullopt;
  }
  ParsedHosts parsed;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view keyword = o->keyword;
    if (keyword == "host") parsed.host = o->val;
    if (keyword == "hostaddr") parsed.hostaddr = o->val;
    if (keyword == "port") parsed.port = o->val;
  }
  PQconninfoFree(options);
  return parsed;
}

std::vector<std::string> split_commas(std::string_view list) {
  std::vector<std::string> items;
  for (std::size_t start = 0;;) {
    const std::size_t comma = list.find(',', start);
    items.emplace_back(list.substr(start, comma - start));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

// A name to look up: not empty, not a socket directory ('/', or '@' for Linux's abstract
// namespace), not already a numeric IPv4 or IPv6 address.
bool names_a_host(const std::string& host) {
  if (host.empty() || host.front() == '/' || host.front() == '@') return false;
  boost::system::error_code error;
  asio::ip::make_address(host, error);
  return static_cast<bool>(error);
}

struct Lookup {
  explicit Lookup(const asio::any_io_executor& executor) : resolver(executor), timer(executor) {}
  tcp::resolver resolver;
  asio::steady_timer timer;
  bool done = false;
  boost::system::error_code error;
  std::vector<std::string> addresses;
};

// The addresses of `host`, in the resolver's order. The lookup itself cannot be cut short
// (getaddrinfo runs to its end on the resolver's thread), so the wait for it is: the
// result, shared with the handler, is simply dropped if it comes after the deadline.
asio::awaitable<std::vector<std::string>> addresses_of(
    const std::string& host, std::chrono::steady_clock::time_point deadline) {
  auto lookup = std::make_shared<Lookup>(co_await asio::this_coro::executor);
  lookup->timer.expires_at(deadline);
  // No flags, as libpq itself asks: address_configured would hide "localhost" on a
  // machine whose only interface is loopback.
  lookup->resolver.async_resolve(
      host, "", tcp::resolver::flags{},
      [lookup](const boost::system::error_code& error, const tcp::resolver::results_type& found) {
        lookup->done = true;
        lookup->error = error;
        for (const auto& entry : found) {
          std::string address = entry.endpoint().address().to_string();
          if (std::find(lookup->addresses.begin(), lookup->addresses.end(), address) ==
              lookup->addresses.end())
            lookup->addresses.push_back(std::move(address));
        }
        lookup->timer.cancel();
      });
  co_await lookup->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!lookup->done) {
    throw DbError(DbError::Kind::unavailable,
                  "connect: looking up host \"" + host + "\" took longer than the connect timeout");
  }
  if (lookup->error || lookup->addresses.empty()) {
    const std::string why = lookup->error ? lookup->error.message() : "no address";
    throw DbError(DbError::Kind::unavailable,
                  "connect: could not look up host \"" + host + "\": " + why);
  }
  co_return std::move(lookup->addresses);
}

}  // namespace

std::optional<std::vector<HostEntry>> hosts_to_look_up(const std::string& conninfo) {
  const auto parsed = parse_hosts(conninfo);
  if (!parsed || parsed->host.empty() || !parsed->hostaddr.empty()) return std::nullopt;
  const std::vector<std::string> hosts = split_commas(parsed->host);
  const std::vector<std::string> ports = split_commas(parsed->port);
  if (ports.size() != 1 && ports.size() != hosts.size()) return std::nullopt;
  std::vector<HostEntry> entries;
  bool any_name = false;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const bool name = names_a_host(hosts[i]);
    any_name = any_name || name;
    entries.push_back({hosts[i], ports.size() == 1 ? ports[0] : ports[i], name});
  }
  if (!any_name) return std::nullopt;
  return entries;
}

HostKeywords host_keywords(const std::vector<HostEntry>& hosts,
                           const std::vector<std::vector<std::string>>& addresses) {
  HostKeywords keywords;
  bool first = true;
  const auto add = [&](const HostEntry& entry, std::string_view address) {
    if (!first) {
      keywords.host += ',';
      keywords.hostaddr += ',';
      keywords.port += ',';
    }
    first = false;
    keywords.host += entry.host;
    keywords.hostaddr += address;  // empty: libpq takes the host as it is
    keywords.port += entry.port;   // empty: libpq's default port
  };
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!hosts[i].lookup) {
      add(hosts[i], "");
      continue;
    }
    for (const std::string& address : addresses.at(i)) add(hosts[i], address);
  }
  // No port written at all: an empty keyword leaves libpq its own default (PGPORT, then
  // 5432), which a list of empty entries would not (each would mean 5432).
  const bool no_port = std::all_of(hosts.begin(), hosts.end(),
                                   [](const HostEntry& entry) { return entry.port.empty(); });
  if (no_port) keywords.port.clear();
  return keywords;
}

asio::awaitable<std::optional<HostKeywords>> look_up_hosts(
    const std::string& conninfo, std::chrono::steady_clock::time_point deadline) {
  const auto hosts = hosts_to_look_up(conninfo);
  if (!hosts) co_return std::nullopt;
  std::vector<std::vector<std::string>> addresses;
  for (const HostEntry& entry : *hosts) {
    addresses.push_back(entry.lookup ? co_await addresses_of(entry.host, deadline)
                                     : std::vector<std::string>{});
  }
  co_return host_keywords(*hosts, addresses);
}

}  // namespace gh::db::postgres
