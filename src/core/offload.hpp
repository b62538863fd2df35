#pragma once
// Runs blocking work (a database call, a password hash) on another executor and
// resumes the awaiting coroutine on its own executor, so io threads never block.
//
// offload() is deliberately not a coroutine: GCC 12 copies closure-type parameters of a
// coroutine into its frame bytewise, which corrupts captured std::strings. The callable
// is moved to the heap here, in an ordinary function, and only a shared_ptr crosses
// into Asio's coroutine machinery.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace gh {

namespace detail {

template <class R>
struct OffloadSignature {
  static_assert(std::is_default_constructible_v<R>, "offload needs a default-constructible R");
  using type = void(std::exception_ptr, R);
};
template <>
struct OffloadSignature<void> {
  using type = void(std::exception_ptr);
};

template <class Handler, class... Args>
void complete_at_home(Handler handler, Args... args) {
  auto home = boost::asio::get_associated_executor(handler);
  boost::asio::post(home, [h = std::move(handler), ... a = std::move(args)]() mutable {
    std::move(h)(std::move(a)...);
  });
}

}  // namespace detail

template <class Executor, class F>
auto offload(Executor pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using R = std::invoke_result_t<F&>;
  namespace asio = boost::asio;
  auto job = std::make_shared<F>(std::move(fn));
  auto initiation = [pool](auto handler, std::shared_ptr<F> job) {
    asio::post(pool, [job = std::move(job), h = std::move(handler)]() mutable {
      std::exception_ptr error;
      if constexpr (std::is_void_v<R>) {
        try {
          (*job)();
        } catch (...) {
          error = std::current_exception();
        }
        job.reset();  // captured state dies on the worker, not later on an io thread
        // Moved, not copied: the exception is then freed on the io thread that reads it.
        // (A copy freed here raced with that read as far as ThreadSanitizer can tell: the
        // refcount lives in uninstrumented libstdc++.)
        detail::complete_at_home(std::move(h), std::move(error));
      } else {
        R out{};
        try {
          out = (*job)();
        } catch (...) {
          error = std::current_exception();
        }
        job.reset();
        detail::complete_at_home(std::move(h), std::move(error), std::move(out));
      }
    });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>,
                              typename detail::OffloadSignature<R>::type>(
      std::move(initiation), asio::use_awaitable, std::move(job));
}

}  // namespace gh
