#pragma once
// Health probes that arrive together on one io thread share one round trip: the first
// caller asks the database, the others wait for its answer. A burst of health checks (a
// load balancer per node, a monitoring system, a client stuck in a loop) then holds at most
// one connection per io thread instead of taking the pool from the requests that need it.
// Every caller still gets an answer from a probe that ended after it asked.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <list>

#include "db/postgres/listed.hpp"

namespace gh::db::postgres {

class SharedProbe {
 public:
  // Probe: a callable returning awaitable<bool>. Must be awaited on this object's thread.
  template <class Probe>
  boost::asio::awaitable<bool> run(Probe probe) {
    if (running_) co_return co_await follow();
    running_ = true;
    bool healthy = false;
    try {
      healthy = co_await probe();
    } catch (...) {
      finish(false);
      throw;
    }
    finish(healthy);
    co_return healthy;
  }

  std::size_t waiting() const { return followers_.size(); }

 private:
  struct Follower {
    explicit Follower(const boost::asio::any_io_executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    bool answered = false;
    bool healthy = false;
  };

  boost::asio::awaitable<bool> follow() {
    Follower me{co_await boost::asio::this_coro::executor};
    me.timer.expires_at(boost::asio::steady_timer::time_point::max());
    const Listed<Follower> listed{followers_, me, me.answered};
    boost::system::error_code ignored;
    co_await me.timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    co_return me.answered&& me.healthy;
  }

  void finish(bool healthy) {
    running_ = false;
    for (Follower* f : followers_) {
      f->answered = true;
      f->healthy = healthy;
      f->timer.cancel();
    }
    followers_.clear();
  }

  bool running_ = false;
  std::list<Follower*> followers_;
};

}  // namespace gh::db::postgres
