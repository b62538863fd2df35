#pragma once
// Host names looked up before libpq sees them. libpq resolves a host name with a blocking
// getaddrinfo inside PQconnectPoll, that is on an io thread: a slow or unreachable DNS
// server (a Kubernetes service name tries every search domain first) would stall every
// request of that thread for as long. The names are looked up on Asio's resolver thread
// instead, within the connection's deadline, and handed to libpq as `hostaddr` values;
// `host` keeps the name, for TLS verification and the password file.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gh::db::postgres {

// One entry of the conninfo's host list.
struct HostEntry {
  std::string host;
  std::string port;    // empty: libpq's default
  bool lookup = true;  // false for a numeric address or a Unix socket directory
};

// libpq's host, hostaddr and port keywords, comma-separated lists of one length.
struct HostKeywords {
  std::string host;
  std::string hostaddr;
  std::string port;
};

// The hosts of `conninfo` (a URI or key=value string), or nullopt when libpq needs no
// lookup: no host named (a Unix socket, or PGHOST), `hostaddr` already given, only
// numeric addresses and socket directories, or a conninfo libpq will refuse on its own.
std::optional<std::vector<HostEntry>> hosts_to_look_up(const std::string& conninfo);

// Each entry once per address found for it (`addresses[i]` for `hosts[i]`; empty for an
// entry that needs no lookup), in order, so that libpq tries them all as it would have.
HostKeywords host_keywords(const std::vector<HostEntry>& hosts,
                           const std::vector<std::vector<std::string>>& addresses);

// The keywords for `conninfo` with every name looked up, or nullopt as hosts_to_look_up.
// DbError(unavailable) when a name has no address or `deadline` passes first.
boost::asio::awaitable<std::optional<HostKeywords>> look_up_hosts(
    const std::string& conninfo, std::chrono::steady_clock::time_point deadline);

}  // namespace gh::db::postgres
