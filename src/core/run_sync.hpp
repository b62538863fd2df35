#pragma once
// Runs one coroutine to completion on a private io_context: for the command line
// (migrate, create-admin), never for request handling.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>

namespace gh {

template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context ioc;
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
  boost::asio::io_context ioc;
  std::exception_ptr error;
  boost::asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e) { error = e; });
  ioc.run();
  if (error) std::rethrow_exception(error);
}

}  // namespace gh
