#include "dependencies/guard.hpp"

#include <boost/beast/core/string.hpp>
#include <stdexcept>

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

boost::asio::awaitable<void> Guard::authorize(http::Request& req, const http::Route& route) const {
  std::string_view token = bearer_token(req);
  if (token.empty()) {
    throw ApiError(ErrorCode::not_authenticated);
  }
  auto principal = co_await auth_.authenticate(token);
  req.user_id = principal.user.id;
  if (require_verified_ && !principal.user.email_verified && !route.before_verification)
    throw ApiError(ErrorCode::email_not_verified);
  if (route.access == http::Access::admin && principal.user.role != models::Role::admin)
    throw ApiError(ErrorCode::forbidden);
  req.caller = std::move(principal);
}

const services::Principal& caller(const http::Request& req) {
  const auto* principal = std::any_cast<services::Principal>(&req.caller);
  if (principal == nullptr) throw std::logic_error("a public route asked who is calling");
  return *principal;
}

}  // namespace gh::dependencies
