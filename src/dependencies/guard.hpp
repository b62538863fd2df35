#pragma once
// The authorizer the pipeline runs before every route that is not public: who is calling
// (401) and may they (403), from the route's declared access. Handlers never call it; they
// read the caller it leaves in the request.
#include <boost/asio/awaitable.hpp>
#include <utility>

#include "http/request.hpp"
#include "http/route.hpp"
#include "services/auth_service.hpp"

namespace gh::dependencies {

class Guard final : public http::Authorizer {
 public:
  // `require_verified`: EMAIL_VERIFICATION=required.
  explicit Guard(services::AuthService& auth, bool require_verified = false)
      : auth_(auth), require_verified_(require_verified) {}

  // 401 NOT_AUTHENTICATED without a bearer token, 401 INVALID_TOKEN for a bad one, then
  // 403 FORBIDDEN on an admin route unless the caller is an admin, and 403
  // EMAIL_NOT_VERIFIED when verification is required, the caller's email is not verified and
  // the route is not declared `before_verification`.
  boost::asio::awaitable<void> authorize(http::Request& req,
                                         const http::Route& route) const override;

 private:
  services::AuthService& auth_;
  bool require_verified_;
};

// Who is calling, as the guard authorized them. Only for routes that are not public: on a
// public one this is a programming error (std::logic_error, a 500), which the route table
// test finds.
const services::Principal& caller(const http::Request& req);

// A handler of a guarded route, given the caller: `[](Request&, const Principal&)`.
template <class F>
http::Handler with_caller(F handler) {
  return [handler = std::move(handler)](http::Request& req) { return handler(req, caller(req)); };
}

}  // namespace gh::dependencies
