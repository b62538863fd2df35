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

MfaPolicy parse_mfa_policy(std::string_view setting) {
  if (setting == "required") return MfaPolicy::required;
  if (setting == "required_for_admins") return MfaPolicy::required_for_admins;
  return MfaPolicy::optional;
}

bool Guard::obliged(const services::Principal& who) const {
  return policy_.mfa == MfaPolicy::required ||
         (policy_.mfa == MfaPolicy::required_for_admins && who.user.role == models::Role::admin);
}

boost::asio::awaitable<void> Guard::authorize(http::Request& req, const http::Route& route) const {
  std::string_view token = bearer_token(req);
  if (token.empty()) {
    throw ApiError(ErrorCode::not_authenticated);
  }
  auto principal = co_await auth_.authenticate(token);
  req.user_id = principal.user.id;
  if (policy_.require_verified && !principal.user.email_verified && !route.before_verification)
    throw ApiError(ErrorCode::email_not_verified);
  const bool obliged_to_mfa = obliged(principal);
  if (obliged_to_mfa && !principal.user.mfa_enabled && !route.before_mfa_enrollment)
    throw ApiError(ErrorCode::mfa_enrollment_required);
  const bool admin_route = route.access == http::Access::admin;
  if (admin_route && principal.user.role != models::Role::admin)
    throw ApiError(ErrorCode::forbidden);
  if ((route.needs_aal2 || (admin_route && obliged_to_mfa)) && principal.aal < 2)
    throw ApiError(ErrorCode::aal2_required);
  req.caller = std::move(principal);
}

const services::Principal& caller(const http::Request& req) {
  const auto* principal = std::any_cast<services::Principal>(&req.caller);
  if (principal == nullptr) throw std::logic_error("a public route asked who is calling");
  return *principal;
}

}  // namespace gh::dependencies
