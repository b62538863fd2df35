#include "http/connection_deadlines.hpp"

namespace gh::http {

ConnectionDeadlines::Tracked ConnectionDeadlines::track(boost::asio::ip::tcp::socket& socket) {
  return Tracked(*this, entries_.insert(entries_.end(), Entry{&socket, Clock::time_point::max()}));
}

void ConnectionDeadlines::sweep(Clock::time_point now) {
  for (Entry& entry : entries_) {
    if (entry.deadline > now) continue;
    entry.deadline = Clock::time_point::max();
    cut_off(*entry.socket, boost::asio::socket_base::shutdown_both);
  }
}

void ConnectionDeadlines::close_waiting() {
  for (Entry& entry : entries_) {
    if (entry.waiting) cut_off(*entry.socket, boost::asio::socket_base::shutdown_receive);
  }
}

void ConnectionDeadlines::cut_off(boost::asio::ip::tcp::socket& socket,
                                  boost::asio::socket_base::shutdown_type how) {
  // shutdown, not only cancel(): a read whose data arrived speculatively is not in the
  // reactor yet and would escape a cancel(). After shutdown every read ends at once.
  boost::system::error_code ignored;
  socket.shutdown(how, ignored);
  socket.cancel(ignored);
}

}  // namespace gh::http
