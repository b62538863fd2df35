#pragma once
// A background job's thread: an io_context of its own running the job's one coroutine, so
// its waits and its database statements never take an io thread. The coroutine reads
// `stopping()` between its steps and waits on `timer()`, which stop() cancels.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

namespace gh::jobs {

class JobThread {
 public:
  JobThread() = default;
  ~JobThread() { stop(); }
  JobThread(const JobThread&) = delete;
  JobThread& operator=(const JobThread&) = delete;

  // Runs `loop()` (an awaitable<void>) on the thread; once only.
  template <class Loop>
  void start(Loop loop) {
    if (thread_.joinable()) return;
    boost::asio::co_spawn(ioc_, loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  // Sets the flag and cancels the wait, then waits for the coroutine to return.
  void stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(ioc_, [this] {
      stopping_ = true;
      timer_.cancel();
    });
    thread_.join();
  }

  // Read and written on the job's thread only (or the caller's, when it runs a step itself).
  bool stopping() const { return stopping_; }
  boost::asio::steady_timer& timer() { return timer_; }

 private:
  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer timer_{ioc_};
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gh::jobs
