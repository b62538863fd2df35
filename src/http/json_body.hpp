#pragma once
// JSON in and out: the one place that checks a body's content type and parses it with
// limits, and the one place that writes JSON responses.
#include <boost/json/value.hpp>

#include "http/request.hpp"

namespace gh::http {

// The request body as JSON. Throws ApiError: 415 for another content type or a coded body
// (a Content-Encoding other than identity), 422 for malformed JSON, invalid UTF-8 or
// nesting deeper than a small limit.
boost::json::value parse_json_body(const Request& req);

Response json_response(unsigned status, const boost::json::value& body);
Response json_response(unsigned status, std::string serialized_body);
Response empty_response(unsigned status);

}  // namespace gh::http
