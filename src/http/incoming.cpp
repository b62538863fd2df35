#include "http/incoming.hpp"

#include <boost/beast/http/error.hpp>

#include "http/client_address.hpp"

namespace gh::http {

std::optional<ApiError> parse_failure(const boost::system::error_code& ec) {
  if (ec == bhttp::error::body_limit)
    return ApiError(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
  if (ec == bhttp::error::header_limit)
    return ApiError(431, "HEADERS_TOO_LARGE", "Request header fields are too large");
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == bhttp::error::need_more)
    return std::nullopt;
  if (ec.category() == boost::system::error_code(bhttp::error::bad_target).category())
    return ApiError(400, "BAD_REQUEST", "Malformed HTTP request");
  return std::nullopt;  // timeouts, resets: nobody to answer
}

boost::system::error_code parse_buffered(RequestParser& parser, boost::beast::flat_buffer& buffer) {
  parser.eager(true);  // the body too, as Beast's async_read does
  boost::system::error_code ec;
  while (buffer.size() > 0 && !parser.is_done()) {
    std::size_t used = 0;
    try {
      used = parser.put(buffer.data(), ec);
    } catch (const std::length_error&) {
      // Beast's field container throws for a name or value of 64 KiB or more: a header
      // under a MAX_HEADER_BYTES above that, or a trailer, which no header limit covers.
      return bhttp::error::header_limit;
    }
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return {};
    if (ec || used == 0) break;
  }
  return ec;
}

namespace {

// Every X-Forwarded-For line, in order, as one list: some proxies (HAProxy's `option
// forwardfor`) add a line of their own instead of appending to the client's, and reading
// only the first line would take the client's word for its address.
std::string forwarded_for(const Request& req) {
  std::string joined;
  const auto [first, last] = req.raw.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ", ";
    joined.append(it->value().data(), it->value().size());
  }
  return joined;
}

}  // namespace

Request make_request(RequestParser& parser, std::optional<ApiError> refusal,
                     const std::string& peer_ip, const std::vector<std::string>& trusted_proxies) {
  Request req;
  // After a refusal the parser holds at most the header; the body is never used.
  if (!refusal || parser.is_header_done()) req.raw = parser.release();
  req.rejected = std::move(refusal);
  split_target(req);
  req.peer_ip = peer_ip;
  req.client_ip = client_address(peer_ip, forwarded_for(req), trusted_proxies);
  return req;
}

}  // namespace gh::http
