#pragma once
// The middleware chain: each middleware sees the request on the way in and the response
// on the way out, and calls `next` to go on. The end of the chain is the router.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <span>
#include <vector>

#include "http/request.hpp"
#include "http/router.hpp"

namespace gh::http {

class Middleware;

class Next {
 public:
  Next(std::span<const std::unique_ptr<Middleware>> rest, const Router& router,
       const Authorizer& authorizer)
      : rest_(rest), router_(router), authorizer_(authorizer) {}
  boost::asio::awaitable<Response> operator()(Request& req) const;

 private:
  std::span<const std::unique_ptr<Middleware>> rest_;
  const Router& router_;
  const Authorizer& authorizer_;
};

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual boost::asio::awaitable<Response> handle(Request& req, Next next) = 0;
};

// Middleware in order (outermost first), the router, and the authorizer that enforces each
// route's access before its handler; shared by every io thread, so middleware keep any
// mutable state thread-safe.
class Pipeline {
 public:
  Pipeline(std::vector<std::unique_ptr<Middleware>> middleware, Router router,
           const Authorizer& authorizer)
      : middleware_(std::move(middleware)), router_(std::move(router)), authorizer_(authorizer) {}

  // Never throws: whatever escapes becomes the 500 envelope.
  boost::asio::awaitable<Response> run(Request& req) const;
  const Router& router() const { return router_; }

 private:
  std::vector<std::unique_ptr<Middleware>> middleware_;
  Router router_;
  const Authorizer& authorizer_;
};

}  // namespace gh::http
