#pragma once
// From a parsed (or refused) HTTP message to the Request the pipeline sees. Shared by the
// server and the in-process fuzz target, so both feed the pipeline the same way.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace gh::http {

using RequestParser = bhttp::request_parser<bhttp::string_body, FieldAllocator<char>>;

// Feeds the parser what the buffer already holds and consumes what it used. One read
// usually brings a whole small request, and Beast's asynchronous read would still cost a
// composed operation and a post per call with no I/O to do. Returns the parse error, if
// any (header_limit for a field too long for Beast to keep; a framing or Host header that
// could be read two ways, refused once the header is in); while !parser.is_done() the
// caller reads on.
boost::system::error_code parse_buffered(RequestParser& parser, boost::beast::flat_buffer& buffer);

// The answer owed to a message the parser refused (413, 431, 400), or nullopt when there
// is nobody to answer (timeouts, resets, end of stream).
std::optional<ApiError> parse_failure(const boost::system::error_code& ec);

// The request of a finished parser, or of a refused one (then only its header, if any, is
// kept and `rejected` is set). Reads the client address through trusted proxies, and
// groups an IPv6 one by its first `ipv6_prefix` bits for the limits.
Request make_request(RequestParser& parser, std::optional<ApiError> refusal,
                     const std::string& peer_ip, const std::vector<std::string>& trusted_proxies,
                     int ipv6_prefix);

}  // namespace gh::http
