#pragma once
// Test helper: runs one coroutine to completion on a fresh io_context and returns its value
// (or rethrows its exception), so tests read like synchronous code.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <utility>

namespace gh::test {

template <class T>
T run_async(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.run();
  return result.get();
}

}  // namespace gh::test
