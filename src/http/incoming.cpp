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
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) return {};
    if (ec || used == 0) break;
  }
  return ec;
}

Request make_request(RequestParser& parser, std::optional<ApiError> refusal,
                     const std::string& peer_ip, const std::vector<std::string>& trusted_proxies) {
  Request req;
  // After a refusal the parser holds at most the header; the body is never used.
  if (!refusal || parser.is_header_done()) req.raw = parser.release();
  req.rejected = std::move(refusal);
  split_target(req);
  req.peer_ip = peer_ip;
  req.client_ip = client_address(peer_ip, req.header("X-Forwarded-For"), trusted_proxies);
  return req;
}

}  // namespace gh::http
