#pragma once
// Guards a handler calls first: who is calling (401) and may they (403).
#include <boost/asio/awaitable.hpp>

#include "http/request.hpp"
#include "services/auth_service.hpp"

namespace gh::dependencies {

class Guard {
 public:
  explicit Guard(services::AuthService& auth) : auth_(auth) {}

  // 401 NOT_AUTHENTICATED without a bearer token, 401 INVALID_TOKEN for a bad one.
  boost::asio::awaitable<services::Principal> user(http::Request& req);
  // As user(), then 403 FORBIDDEN unless the caller is an admin.
  boost::asio::awaitable<services::Principal> admin(http::Request& req);

 private:
  services::AuthService& auth_;
};

}  // namespace gh::dependencies
