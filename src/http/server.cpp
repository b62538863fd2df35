#include "http/server.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/io_load.hpp"
#include "core/log.hpp"
#include "http/client_address.hpp"
#include "http/connection_deadlines.hpp"
#include "http/error_envelope.hpp"
#include "http/fd_limit.hpp"
#include "http/incoming.hpp"
#include "http/response_bytes.hpp"

namespace gh::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kFirstRead = 512;  // what an idle connection waits with
constexpr std::size_t kMinRead = 4096;   // then reads of this much at least
constexpr std::size_t kMaxRead = 65536;  // and at most
// After a refusal: how long, and how much of the unread rest, to drain before closing.
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1 << 20;
using Parser = RequestParser;
constexpr std::string_view kUnknownPeer = "unknown";  // a peer gone before it was asked

// One io thread: its io_context, its acceptor and the connections it serves.
class Worker {
 public:
  Worker(const ServerOptions& options, const Pipeline& pipeline,
         std::atomic<std::size_t>& connections, AddressSlots& address_slots)
      : options_(options),
        pipeline_(pipeline),
        connections_(connections),
        address_slots_(address_slots),
        ioc_(1),
        acceptor_(ioc_),
        sweep_timer_(ioc_) {
    for (const auto& [name, value] : options.fixed_fields)
      fixed_fields_ += name + ": " + value + "\r\n";
  }

  std::uint16_t listen(const tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    int one = 1;
    ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
  }

  void start() {
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] {
      log::batch_on_this_thread([this] { asio::post(ioc_, [] { log::flush_thread(); }); });
      io_threads::enter();
      ioc_.run();
      io_threads::leave();
      log::flush_thread();  // after a forced stop the posted flush never ran
    });
  }

  // From any thread: stop accepting and close connections that wait for a request.
  void begin_drain() {
    asio::post(ioc_, [this] {
      stopping_ = true;
      boost::system::error_code ec;
      acceptor_.close(ec);
      deadlines_.close_waiting();
    });
  }
  void force_stop() { ioc_.stop(); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  asio::awaitable<void> accept_loop() {
    while (!stopping_) {
      auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) break;
        // EMFILE and friends: keep serving the connections we have, and pause instead of
        // spinning on an accept that fails at once until a descriptor frees up.
        asio::steady_timer pause(ioc_, std::chrono::milliseconds(50));
        co_await pause.async_wait(use_tuple);
        continue;
      }
      if (connections_.fetch_add(1) >= options_.max_connections) {
        connections_.fetch_sub(1);
        continue;  // over the cap: the socket closes as it goes out of scope
      }
      std::string peer_ip = peer_text(socket);
      std::string slot = address_slot(peer_ip);
      if (!slot.empty() && !address_slots_.take(slot)) {
        connections_.fetch_sub(1);
        continue;  // this address holds its share already
      }
      asio::co_spawn(ioc_, session(std::move(socket), std::move(peer_ip), std::move(slot)),
                     asio::detached);
    }
  }

  static std::string peer_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    return ec ? std::string(kUnknownPeer) : peer.address().to_string();
  }

  // The key the per-address cap counts the peer under; empty when it is not counted (no
  // cap, a trusted proxy, or a peer gone already).
  std::string address_slot(const std::string& peer_ip) const {
    if (options_.max_connections_per_address == 0 || peer_ip == kUnknownPeer) return {};
    if (is_trusted_proxy(peer_ip, options_.trusted_proxies)) return {};
    return address_group(peer_ip, options_.ipv6_prefix);
  }

  asio::awaitable<void> session(tcp::socket socket, std::string peer_ip, std::string slot) {
    struct Counted {  // the slots are given back however the session ends
      std::atomic<std::size_t>& connections;
      AddressSlots& address_slots;
      std::string slot;
      ~Counted() {
        connections.fetch_sub(1);
        if (!slot.empty()) address_slots.release(slot);
      }
    } counted{connections_, address_slots_, std::move(slot)};
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    socket.non_blocking(true, ec);  // for write_response's direct send
    ConnectionDeadlines::Tracked deadline = deadlines_.track(socket);
    start_sweeping();
    beast::flat_buffer buffer;
    for (bool fresh = true;; fresh = false) {
      Parser parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      parser.body_limit(options_.max_body_bytes);
      if (stopping_) break;
      // Waiting connections keep no read buffer: 10,000 idle ones would hold megabytes.
      if (buffer.size() == 0) buffer.shrink_to_fit();
      deadline.set_waiting(true);
      auto read_ec = co_await read_request(socket, deadline, buffer, parser, fresh);
      deadline.set_waiting(false);
      std::optional<ApiError> refusal;
      if (read_ec) {
        if (read_ec == bhttp::error::end_of_stream) break;
        refusal = parse_failure(read_ec);
        if (!refusal) break;
      }
      Request req = make_request(parser, std::move(refusal), peer_ip, options_.trusted_proxies,
                                 options_.ipv6_prefix);
      deadline.suspend();
      Response res = co_await pipeline_.run(req);
      // The rest of a refused message is still on the wire: the connection cannot go on.
      bool keep_alive = !req.rejected && req.raw.keep_alive() && !stopping_;
      res.keep_alive(keep_alive);
      // An HTTP/1.0 client closes unless told otherwise (1.1 keeps alive by default).
      if (keep_alive && req.raw.version() == 10) res.set(bhttp::field::connection, "keep-alive");
      deadline.expires_after(options_.body_timeout);
      const bool head = req.raw.method() == bhttp::verb::head;
      auto [write_ec, written] = co_await write_response(socket, res, !head);
      if (write_ec) break;
      if (req.rejected) co_return co_await linger(socket, deadline);
      if (!keep_alive) break;
    }
    socket.shutdown(tcp::socket::shutdown_send, ec);
  }

  // After a refusal the client may still be sending the body we will not read. Closing at
  // once with unread bytes makes the kernel send a reset, which can reach the client before
  // it reads our answer (a 413 lost to "connection reset"). So: stop sending, and read and
  // drop what comes for a moment, as web servers do before they close. Ends the session.
  asio::awaitable<void> linger(tcp::socket& socket, ConnectionDeadlines::Tracked& deadline) {
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    deadline.expires_after(kLinger);
    std::array<char, 4096> sink;
    for (std::size_t dropped = 0; dropped < kLingerBytes;) {
      auto [read_ec, n] = co_await socket.async_read_some(asio::buffer(sink), use_tuple);
      if (read_ec) co_return;  // the client closed, or the deadline's sweep cut it off
      dropped += n;
    }
  }

  // Runs while this thread has connections; the first one starts it again.
  void start_sweeping() {
    if (sweeping_) return;
    sweeping_ = true;
    asio::co_spawn(ioc_, sweep(), asio::detached);
  }

  asio::awaitable<void> sweep() {
    while (!deadlines_.empty()) {
      sweep_timer_.expires_after(ConnectionDeadlines::kSweepPeriod);
      co_await sweep_timer_.async_wait(use_tuple);
      deadlines_.sweep(ConnectionDeadlines::Clock::now());
    }
    sweeping_ = false;
  }

  // One send() per response: its bytes laid out in one buffer rather than gathered by
  // Beast's serializer from a dozen (a third of a small request's instructions). The
  // buffer lives only as long as the write, so idle connections hold none.
  // Without its body after a HEAD request, the Content-Length saying what GET would send.
  asio::awaitable<std::tuple<boost::system::error_code, std::size_t>> write_response(
      tcp::socket& socket, Response& res, bool with_body) {
    // A chunked body is Beast's to frame; without a body, the header alone is ours to lay
    // out whatever its framing says.
    if (with_body && !serializable(res)) {
      for (const auto& [name, value] : options_.fixed_fields) res.insert(name, value);
      co_return co_await bhttp::async_write(socket, res, use_tuple);
    }
    std::string wire;
    serialize_response(res, wire, fixed_fields_, with_body);
    // A response almost always fits in the socket's send buffer: a direct non-blocking
    // send then finishes it without suspending the coroutine and posting its completion
    // (Asio's async_write sends speculatively too, but always completes through the queue).
    boost::system::error_code ec;
    const std::size_t sent = socket.send(asio::buffer(wire), 0, ec);
    if (ec && ec != asio::error::would_block) co_return std::tuple{ec, sent};
    if (sent == wire.size()) co_return std::tuple{ec, sent};
    auto [rest_ec, rest] = co_await asio::async_write(socket, asio::buffer(wire) + sent, use_tuple);
    co_return std::tuple{rest_ec, sent + rest};
  }

  // Waits for the first byte of a request (a fresh connection within the header deadline, a
  // kept-alive one within the idle timeout), then gives the header and the body a deadline
  // each, so a client that dribbles bytes is cut off without rushing an honest body.
  asio::awaitable<boost::system::error_code> read_request(tcp::socket& socket,
                                                          ConnectionDeadlines::Tracked& deadline,
                                                          beast::flat_buffer& buffer,
                                                          Parser& parser, bool fresh) {
    if (buffer.size() == 0) {
      deadline.expires_after(fresh ? options_.header_timeout : options_.idle_timeout);
      // The buffer is held for as long as the connection waits: 10,000 idle connections
      // with 4 KiB each would hold 40 MiB. A longer request is read on by the parser below.
      auto [ec, n] = co_await socket.async_read_some(buffer.prepare(kFirstRead), use_tuple);
      if (ec) co_return ec;
      buffer.commit(n);
    }
    if (auto ec = parse_buffered(parser, buffer)) co_return ec;
    if (parser.is_done()) co_return boost::system::error_code{};
    co_return co_await read_rest(socket, deadline, buffer, parser);
  }

  // The rest of a request the first read did not bring whole. A coroutine of its own: an
  // idle connection waits in read_request, whose frame (held by each of 10,000 idle
  // connections) then stays as small as that wait needs.
  //
  // Read and parsed by hand rather than with Beast's async_read: its parser throws for a
  // field Beast cannot keep (see parse_buffered), and its buffer has no bound where the
  // parser consumes nothing (a chunk-extension line that never ends, a trailer).
  asio::awaitable<boost::system::error_code> read_rest(tcp::socket& socket,
                                                       ConnectionDeadlines::Tracked& deadline,
                                                       beast::flat_buffer& buffer, Parser& parser) {
    deadline.expires_after(options_.header_timeout);
    for (bool header_done = false;;) {
      if (!header_done && parser.is_header_done()) {
        header_done = true;
        deadline.expires_after(options_.body_timeout);
        co_await header_arrived(socket, deadline, parser);
      }
      if (parser.is_done()) co_return boost::system::error_code{};
      if (buffer.size() > max_unparsed()) co_return bhttp::error::buffer_overflow;
      const std::size_t room =
          std::clamp<std::size_t>(buffer.capacity() - buffer.size(), kMinRead, kMaxRead);
      auto [ec, n] = co_await socket.async_read_some(buffer.prepare(room), use_tuple);
      if (ec == asio::error::eof) co_return bhttp::error::partial_message;
      if (ec) co_return ec;
      buffer.commit(n);
      if (auto parse_ec = parse_buffered(parser, buffer)) co_return parse_ec;
    }
  }

  // Bytes the parser may leave unconsumed: a whole header, or a chunk header and a trailer.
  std::size_t max_unparsed() const { return options_.max_header_bytes + kMaxRead; }

  // A whole header makes a request in flight: a drain lets its body come and answers it
  // (a connection still sending its header is closed, as an idle one is). And
  // "Expect: 100-continue" asks for a go-ahead before the body (curl waits a second for it,
  // some clients until a timeout); a body too large was refused already.
  asio::awaitable<void> header_arrived(tcp::socket& socket, ConnectionDeadlines::Tracked& deadline,
                                       Parser& parser) {
    deadline.set_waiting(false);
    if (parser.is_done() || !beast::iequals(parser.get()[bhttp::field::expect], "100-continue"))
      co_return;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(kContinue), use_tuple);
  }

  const ServerOptions& options_;
  std::string fixed_fields_;  // options_.fixed_fields as they go on the wire
  const Pipeline& pipeline_;
  std::atomic<std::size_t>& connections_;
  AddressSlots& address_slots_;
  // Before ioc_: sessions untrack themselves when ioc_'s destructor destroys their frames.
  ConnectionDeadlines deadlines_;  // touched only on this worker's thread
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer sweep_timer_;
  bool sweeping_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

struct Server::Signals {
  asio::io_context ioc{1};
  asio::signal_set set{ioc, SIGINT, SIGTERM};
};

Server::Server(ServerOptions options, const Pipeline& pipeline)
    : options_(std::move(options)), pipeline_(pipeline), signals_(std::make_unique<Signals>()) {}

Server::~Server() {
  for (auto& w : workers_) {
    w->force_stop();
    w->join();
  }
}

void Server::bind() {
  // Past the open-file limit accept() fails instead of our cap closing the extra sockets;
  // leave room for the database, logs and listeners.
  raise_fd_limit(options_.max_connections + 256);
  auto address = asio::ip::make_address(options_.host);
  std::uint16_t port = options_.port;
  for (unsigned i = 0; i < std::max(1u, options_.threads); ++i) {
    auto worker = std::make_unique<Worker>(options_, pipeline_, connections_, address_slots_);
    // Port 0 picks a free port once; the other acceptors join it.
    port = worker->listen(tcp::endpoint(address, port));
    workers_.push_back(std::move(worker));
  }
  port_ = port;
}

void Server::stop() {
  asio::post(signals_->ioc, [this] { signals_->set.cancel(); });
}

void Server::run(const std::function<void()>& on_ready) {
  for (auto& w : workers_) w->start();
  if (on_ready) on_ready();
  signals_->set.async_wait([](const boost::system::error_code&, int) {});
  signals_->ioc.run();  // returns once a signal arrives (or stop() cancels the wait)

  for (auto& w : workers_) w->begin_drain();
  // Each worker's thread ends when its last in-flight request is answered; wait for all
  // of them, but no longer than the drain timeout.
  auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  std::vector<std::thread> joiners;
  std::mutex m;
  std::condition_variable cv;
  std::size_t done = 0;
  for (auto& w : workers_) {
    joiners.emplace_back([&, worker = w.get()] {
      worker->join();
      std::lock_guard lock(m);
      ++done;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(m);
    if (!cv.wait_until(lock, deadline, [&] { return done == workers_.size(); })) {
      for (auto& w : workers_) w->force_stop();
    }
  }
  for (auto& j : joiners) j.join();
}

}  // namespace gh::http
