#pragma once
// The deadlines of one io thread's connections, enforced by one periodic sweep rather than
// a timer per connection. Moving a deadline is a store: Beast's tcp_stream started and
// cancelled a timer around every read and write, a seventh of a small request's
// instructions and a timerfd update whenever the earliest expiry changed.
//
// Timeouts are whole seconds, so a sweep every tenth of a second is precise enough. A
// connection past its deadline is shut down both ways and its pending operations are
// cancelled: whatever it was waiting for ends at once, and so does anything it starts.
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <list>

namespace gh::http {

class ConnectionDeadlines {
  struct Entry {
    boost::asio::ip::tcp::socket* socket;
    std::chrono::steady_clock::time_point deadline;
    bool waiting = false;  // for a request: what a drain closes at once
  };

 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kSweepPeriod = std::chrono::milliseconds{100};

  // One connection's place in the sweep, for as long as the connection lives.
  class Tracked {
   public:
    Tracked(ConnectionDeadlines& owner, std::list<Entry>::iterator entry)
        : owner_(owner), entry_(entry) {}
    ~Tracked() { owner_.entries_.erase(entry_); }
    Tracked(const Tracked&) = delete;
    Tracked& operator=(const Tracked&) = delete;

    void expires_after(Clock::duration d) { entry_->deadline = Clock::now() + d; }
    // While the request is being answered: its handler has its own time limits.
    void suspend() { entry_->deadline = Clock::time_point::max(); }
    void set_waiting(bool waiting) { entry_->waiting = waiting; }

   private:
    ConnectionDeadlines& owner_;
    std::list<Entry>::iterator entry_;
  };

  // The socket must outlive the returned handle.
  Tracked track(boost::asio::ip::tcp::socket& socket);
  bool empty() const { return entries_.empty(); }
  // Cuts off every connection whose deadline has passed.
  void sweep(Clock::time_point now);
  // Drain: ends the wait of every connection waiting for a request.
  void close_waiting();

 private:
  static void cut_off(boost::asio::ip::tcp::socket& socket,
                      boost::asio::socket_base::shutdown_type how);

  std::list<Entry> entries_;
};

}  // namespace gh::http
