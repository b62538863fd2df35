#include "dependencies/guard.hpp"

#include <boost/beast/core/string.hpp>

#include "core/api_error.hpp"

namespace gh::dependencies {
namespace {

std::string_view bearer_token(const http::Request& req) {
  std::string_view value = req.header(http::bhttp::field::authorization);
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size() ||
      !boost::beast::iequals(value.substr(0, scheme.size()), scheme))
    return {};
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

}  // namespace

boost::asio::awaitable<services::Principal> Guard::user(http::Request& req) {
  std::string_view token = bearer_token(req);
  if (token.empty()) {
    ApiError e(401, "NOT_AUTHENTICATED", "Not authenticated");
    e.headers.emplace_back("WWW-Authenticate", "Bearer");
    throw e;
  }
  auto principal = co_await auth_.authenticate(token);
  req.user_id = principal.user.id;
  co_return principal;
}

boost::asio::awaitable<services::Principal> Guard::admin(http::Request& req) {
  auto principal = co_await user(req);
  if (principal.user.role != "admin") throw ApiError(403, "FORBIDDEN", "Insufficient permissions");
  co_return principal;
}

}  // namespace gh::dependencies
