#pragma once
// The email and new-password fields, read and described alike wherever a body carries them
// (registration, POST /users).
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "schemas/field_reader.hpp"

namespace gh::schemas {

// Lower-cased and checked; a failure is recorded on `r` under "email".
std::string read_email(FieldReader& r);
// Checked against the password policy; a failure is recorded on `r` under `name`.
std::string read_new_password(FieldReader& r, std::string_view name);

boost::json::object email_property();
// `policy`: the new-password rules (8 to 128 characters), else any non-empty password.
boost::json::object password_property(bool policy, std::string_view example);

}  // namespace gh::schemas
