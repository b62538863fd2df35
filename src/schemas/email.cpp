#include "schemas/email.hpp"

#include <boost/json/object.hpp>

#include "schemas/catalog.hpp"
#include "schemas/credential_fields.hpp"
#include "schemas/field_reader.hpp"

namespace gh::schemas {

PasswordResetRequest decode_password_reset_request(const boost::json::value& body) {
  FieldReader r(body);
  PasswordResetRequest request{read_email(r)};
  r.finish();
  return request;
}

TokenAndPassword decode_password_reset_confirm(const boost::json::value& body) {
  FieldReader r(body);
  TokenAndPassword request{read_token(r, "token"), read_new_password(r, "new_password")};
  r.finish();
  return request;
}

TokenAndPassword decode_invitation_accept(const boost::json::value& body) {
  FieldReader r(body);
  TokenAndPassword request{read_token(r, "token"), read_new_password(r, "password")};
  r.finish();
  return request;
}

LinkToken decode_verify_email(const boost::json::value& body) {
  FieldReader r(body);
  LinkToken request{read_token(r, "token")};
  r.finish();
  return request;
}

boost::json::value accepted_body() {
  return boost::json::object{};
}

void describe_email_schemas(Catalog& c) {
  const auto link_token =
      token_property("The token of the link in the mail (its `token` parameter)");
  c.schemas["PasswordResetRequest"] =
      object_schema("The address to send a reset link to; the answer is the same for every one",
                    {{"email", email_property()}}, {"email"});
  c.schemas["PasswordResetConfirm"] = object_schema(
      "A reset link's token and the new password; every session of the account ends",
      {{"token", link_token}, {"new_password", password_property(true, "staple battery horse")}},
      {"token", "new_password"});
  c.schemas["VerifyEmail"] =
      object_schema("A verification link's token", {{"token", link_token}}, {"token"});
  c.schemas["InvitationAccept"] = object_schema(
      "An invitation link's token and the password the account will have",
      {{"token", link_token}, {"password", password_property(true, "correct horse battery")}},
      {"token", "password"});
  c.schemas["Accepted"] = {{"type", "object"},
                           {"description", "Accepted: the work is queued (an empty object)"},
                           {"maxProperties", 0}};
}

}  // namespace gh::schemas
