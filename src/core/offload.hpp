#pragma once
// Runs blocking work (a database call, a password hash) on another executor and
// resumes the awaiting coroutine on its own executor, so io threads never block.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace gh {

template <class Executor, class F>
auto offload(Executor pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  namespace asio = boost::asio;
  if constexpr (std::is_void_v<R>) {
    co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
        [pool](auto handler, F f) {
          asio::post(pool, [f = std::move(f), h = std::move(handler)]() mutable {
            std::exception_ptr error;
            try {
              f();
            } catch (...) {
              error = std::current_exception();
            }
            auto home = asio::get_associated_executor(h);
            asio::post(home, [h = std::move(h), error]() mutable { std::move(h)(error); });
          });
        },
        asio::use_awaitable, std::move(fn));
  } else {
    std::optional<R> out;
    co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
        [pool, &out](auto handler, F f) {
          asio::post(pool, [f = std::move(f), h = std::move(handler), &out]() mutable {
            std::exception_ptr error;
            try {
              out.emplace(f());
            } catch (...) {
              error = std::current_exception();
            }
            auto home = asio::get_associated_executor(h);
            asio::post(home, [h = std::move(h), error]() mutable { std::move(h)(error); });
          });
        },
        asio::use_awaitable, std::move(fn));
    co_return std::move(*out);
  }
}

}  // namespace gh
