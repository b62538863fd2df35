#pragma once
// The HTTP/1.1 server: one io_context per thread, each with its own SO_REUSEPORT acceptor,
// so connections spread over cores without a shared queue. Runs until SIGINT/SIGTERM,
// then stops accepting, lets in-flight requests finish (bounded) and returns.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/address_slots.hpp"
#include "http/middleware.hpp"

namespace gh::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  unsigned threads = 1;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  // Slowloris: a new connection must send its first byte within header_timeout, a request's
  // header must be complete within header_timeout of its first byte, its body within
  // body_timeout after that, and a response must be taken within body_timeout. Connections
  // idle between requests longer than idle_timeout are closed.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds drain_timeout{10};  // in-flight requests get this long on shutdown
  std::size_t max_connections = 10000;     // more are accepted and closed at once
  // Per address, counted by the socket's peer grouped as address_group does; 0: no cap.
  // Trusted proxies are exempt: every client behind one shares its address.
  std::size_t max_connections_per_address = 1000;
  std::vector<std::string> trusted_proxies;
  int ipv6_prefix = 64;  // the limits count an IPv6 client by its network of this many bits
  // Header fields every response carries (the security headers), written after each
  // response's own: inserting three or four fields into every response cost a tenth of a
  // small request.
  std::vector<std::pair<std::string, std::string>> fixed_fields;
};

class Worker;

class Server {
 public:
  Server(ServerOptions options, const Pipeline& pipeline);
  ~Server();

  // Binds every acceptor; throws std::system_error when the address is taken.
  void bind();
  std::uint16_t port() const { return port_; }
  // Serves until SIGINT/SIGTERM (or stop()), then drains. `on_ready` runs once listening.
  void run(const std::function<void()>& on_ready = {});
  void stop();

 private:
  ServerOptions options_;
  const Pipeline& pipeline_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<std::size_t> connections_{0};
  AddressSlots address_slots_{options_.max_connections_per_address};
  std::uint16_t port_ = 0;
  struct Signals;
  std::unique_ptr<Signals> signals_;
};

}  // namespace gh::http
