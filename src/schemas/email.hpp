#pragma once
// Request bodies of the email flows (API.md part two, "Email"): decoding and description.
#include <boost/json/value.hpp>
#include <string>

namespace gh::schemas {

struct PasswordResetRequest {
  std::string email;  // normalised
};
PasswordResetRequest decode_password_reset_request(const boost::json::value& body);

// PasswordResetConfirm ({token, new_password}) and InvitationAccept ({token, password}): a
// link's token and the password it sets, under the registration policy.
struct TokenAndPassword {
  std::string token;
  std::string password;
};
TokenAndPassword decode_password_reset_confirm(const boost::json::value& body);
TokenAndPassword decode_invitation_accept(const boost::json::value& body);

struct LinkToken {
  std::string token;
};
LinkToken decode_verify_email(const boost::json::value& body);

// The 202 body: an empty object, the same whatever happens behind it.
boost::json::value accepted_body();

}  // namespace gh::schemas
