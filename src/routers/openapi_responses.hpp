#pragma once
// The error responses of the OpenAPI document: every status in the one envelope
// (#/components/schemas/Error), with an example and the headers the status carries.
#include <boost/json/object.hpp>
#include <string>

namespace gh::routers {

// The components/responses name of an error status ("Unauthorized"); throws
// std::out_of_range for a status gatehouse never answers.
std::string error_response_name(int status);

// The Response object for components/responses.
boost::json::object error_response(int status);

// components/headers: what every response carries.
boost::json::object common_headers();

}  // namespace gh::routers
