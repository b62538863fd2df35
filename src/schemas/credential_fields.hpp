#pragma once
// The email, password and token fields, read and described alike wherever a body carries
// them (registration, login, POST /users, the OAuth token request).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "schemas/field_reader.hpp"

namespace gh::schemas {

// Lower-cased and checked; a failure is recorded on `r` under `name`.
std::string read_email(FieldReader& r, std::string_view name = "email");
// Any non-empty password of at most 128 characters: a login checks no policy, so a user
// whose password predates it can still sign in.
std::string read_login_password(FieldReader& r, std::string_view name);
// Checked against the password policy; a failure is recorded on `r` under `name`.
std::string read_new_password(FieldReader& r, std::string_view name);
// A token of ours: 1 to kMaxTokenLength bytes; its signature is checked by the service.
std::string read_token(FieldReader& r, std::string_view name);
inline constexpr std::size_t kMaxTokenLength = 4096;

boost::json::object email_property();
boost::json::object token_property(std::string_view description);
boost::json::object object_schema(std::string_view description, boost::json::object properties,
                                  boost::json::array required);
// `policy`: the new-password rules (8 to 128 characters), else any non-empty password.
boost::json::object password_property(bool policy, std::string_view example);

}  // namespace gh::schemas
