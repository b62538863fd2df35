#pragma once
// Runs one coroutine to completion on a private io_context: for the command line
// (migrate, create-admin), never for request handling.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

namespace gh {

namespace detail {

// One io_context per calling thread, kept for the thread's life. The database and hashing
// pools complete a job by posting to this context from their own thread, and Asio signals
// the context's condition variable after unlocking its mutex: run() can return, and a
// context made per call would be destroyed, while that signal is still in progress (a data
// race ThreadSanitizer reports). A context that lives on is never destroyed under it.
inline boost::asio::io_context& sync_context() {
  thread_local boost::asio::io_context ioc;
  ioc.restart();
  return ioc;
}

}  // namespace detail

template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context& ioc = detail::sync_context();
  std::optional<T> out;
  std::exception_ptr error;
  boost::asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T value) {
    error = e;
    if (!e) out.emplace(std::move(value));
  });
  ioc.run();
  if (error) std::rethrow_exception(error);
  return std::move(*out);
}

inline void run_sync(boost::asio::awaitable<void> task) {
  boost::asio::io_context& ioc = detail::sync_context();
  std::exception_ptr error;
  boost::asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e) { error = e; });
  ioc.run();
  if (error) std::rethrow_exception(error);
}

}  // namespace gh
