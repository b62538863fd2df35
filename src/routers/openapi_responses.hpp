#pragma once
// The error responses of the OpenAPI document: every status in the one envelope
// (#/components/schemas/Error), with an example and the headers the status carries.
#include <boost/json/object.hpp>
#include <string>

namespace gh::routers {

// The components/responses name of an error status ("Unauthorized"); throws
// std::out_of_range for a status gatehouse never answers.
std::string error_response_name(int status);

// The Response object for components/responses: the envelope, its `code` restricted to
// the codes the status carries, with an example of each.
boost::json::object error_response(int status);

}  // namespace gh::routers
