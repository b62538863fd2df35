#pragma once
// The authorizer the pipeline runs before every route that is not public: who is calling
// (401) and may they (403), from the route's declared access. Handlers never call it; they
// read the caller it leaves in the request.
#include <boost/asio/awaitable.hpp>
#include <string_view>
#include <utility>

#include "http/request.hpp"
#include "http/route.hpp"
#include "services/auth_service.hpp"

namespace gh::dependencies {

// MFA: who must have a second factor.
enum class MfaPolicy { optional, required_for_admins, required };
MfaPolicy parse_mfa_policy(std::string_view setting);  // the MFA setting's value

struct GuardPolicy {
  bool require_verified = false;  // EMAIL_VERIFICATION=required
  MfaPolicy mfa = MfaPolicy::optional;
};

class Guard final : public http::Authorizer {
 public:
  explicit Guard(services::AuthService& auth, GuardPolicy policy = {})
      : auth_(auth), policy_(policy) {}

  // 401 NOT_AUTHENTICATED without a bearer token, 401 INVALID_TOKEN for a bad one; then 403:
  // EMAIL_NOT_VERIFIED when verification is required, the caller's email is not verified and
  // the route is not declared `before_verification`; MFA_ENROLLMENT_REQUIRED when the policy
  // obliges the caller to have a factor, they have none and the route is not declared
  // `before_mfa_enrollment`; FORBIDDEN on an admin route unless the caller is an admin;
  // AAL2_REQUIRED on a route declared `needs_aal2` (and, when the policy obliges admins, on
  // every admin route) unless the caller's token is aal2.
  boost::asio::awaitable<void> authorize(http::Request& req,
                                         const http::Route& route) const override;

 private:
  bool obliged(const services::Principal& who) const;

  services::AuthService& auth_;
  GuardPolicy policy_;
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
