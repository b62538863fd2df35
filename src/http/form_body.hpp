#pragma once
// application/x-www-form-urlencoded bodies, as OAuth 2.0 clients send them (RFC 6749
// Appendix B): each name once, each value UTF-8 text.
#include <boost/json/object.hpp>

#include "http/request.hpp"

namespace gh::http {

// The body's fields as a JSON object of strings, for the schema readers. A field sent
// without a value counts as not sent (RFC 6749 §3.1). Throws ApiError: 415 for another
// content type or a coded body; 422 for a field given twice (RFC 6749 §3.2), a name or
// value that is not UTF-8 text (or holds NUL), or more fields than any form of ours has.
boost::json::object parse_form_body(const Request& req);

}  // namespace gh::http
