#pragma once
// A response as the bytes that go on the wire: status line, header fields and body in one
// contiguous buffer, so that it leaves with one send() and without Beast's serializer
// walking a buffer sequence of a dozen pieces (a third of a small request's instructions).
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace gh::http {

// True when serialize_response() writes exactly what Beast's serializer would: every
// response with a Content-Length (all of ours, after prepare_payload) or no body. A
// chunked response is left to Beast.
bool serializable(const Response& res);

// Appends the response's bytes to `out`. `fixed_fields`, already laid out as
// "Name: value\r\n" lines, follow the response's own fields: headers every response
// carries are formatted once per process, not inserted into every response. Without
// `with_body` (the answer to a HEAD request) the body is left out and its Content-Length
// kept.
void serialize_response(const Response& res, std::string& out, std::string_view fixed_fields = {},
                        bool with_body = true);

}  // namespace gh::http
