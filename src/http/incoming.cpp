#include "http/incoming.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <iterator>

#include "http/client_address.hpp"
#include "http/ows.hpp"

namespace gh::http {
namespace {

// Fields Beast accepts but another reader of the same bytes (a proxy in front) may frame
// otherwise: refused before Beast acts on them, so that no byte is read two ways.
enum class Framing { transfer_encoding = 1, content_length, host, trailer, repeated, folded };

class FramingCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gatehouse.framing"; }
  std::string message(int ev) const override {
    switch (static_cast<Framing>(ev)) {
      case Framing::transfer_encoding:
        return "Transfer-Encoding must be chunked alone, in HTTP/1.1";
      case Framing::content_length:
        return "Content-Length must be given once, as one number";
      case Framing::host:
        return "An HTTP/1.1 request must carry exactly one Host header";
      case Framing::trailer:
        return "Trailer fields are not accepted";
      case Framing::repeated:
        return "Authorization and Content-Type must be given once";
      case Framing::folded:
        return "Header lines must not be folded";
    }
    return "Malformed HTTP request";
  }
};

const FramingCategory& framing_category() {
  static const FramingCategory category;
  return category;
}

boost::system::error_code refused(Framing why) {
  return {static_cast<int>(why), framing_category()};
}

std::size_t count(const RawRequest& msg, bhttp::field f) {
  const auto [first, last] = msg.equal_range(f);
  return static_cast<std::size_t>(std::distance(first, last));
}

std::size_t field_count(const RawRequest& msg) {
  return static_cast<std::size_t>(std::distance(msg.begin(), msg.end()));
}

// Beast takes a Transfer-Encoding that does not end in chunked for an empty body, and
// ignores it beside a Content-Length; a proxy may read the body by the coding instead, and
// the bytes we leave on the wire would be our next request (RFC 9112 §6.1, §6.3). An
// HTTP/1.0 message with any Transfer-Encoding has faulty framing by the same sections.
bool bad_transfer_encoding(const RawRequest& msg) {
  const std::size_t lines = count(msg, bhttp::field::transfer_encoding);
  if (lines == 0) return false;
  if (lines > 1 || msg.version() < 11) return true;
  const auto value = msg[bhttp::field::transfer_encoding];
  return !boost::beast::iequals(trim_ows({value.data(), value.size()}), "chunked");
}

// Beast has refused differing values already. Repeated equal ones it takes as one, which
// RFC 9112 §6.3 permits but does not require: a reader in front may refuse them or split
// "2, 2" otherwise, and the length of the body is the one thing both must agree on.
bool bad_content_length(const RawRequest& msg) {
  const std::size_t lines = count(msg, bhttp::field::content_length);
  if (lines > 1) return true;
  const auto value = msg[bhttp::field::content_length];
  return lines == 1 &&
         std::string_view(value.data(), value.size()).find(',') != std::string_view::npos;
}

// RFC 9112 §3.2: a server must refuse an HTTP/1.1 request without a Host, any with two, and
// any whose Host is not a host[:port] (a list, spaces, a path).
bool bad_host(const RawRequest& msg) {
  const std::size_t lines = count(msg, bhttp::field::host);
  if (lines > 1 || (lines == 0 && msg.version() >= 11)) return true;
  const auto value = msg[bhttp::field::host];
  return !std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':' || c == '[' || c == ']' || c == '_' || c == '%';
  });
}

// A header line continued on the next (obs-fold, a line starting with a space or tab): Beast
// joins it to the line before, a proxy in front may read it as a line of its own, and then
// `X-A: a\r\n Transfer-Encoding: chunked` frames the body two ways. RFC 9112 §5.2 lets a
// server refuse it. Looked for in the bytes of a header not yet parsed (Beast parses a
// header only once it is whole, so no line of it has been taken yet).
bool folded(const boost::beast::flat_buffer& buffer) {
  const std::string_view bytes(static_cast<const char*>(buffer.data().data()), buffer.size());
  const std::string_view header = bytes.substr(0, bytes.find("\r\n\r\n"));
  for (auto lf = header.find('\n'); lf != std::string_view::npos; lf = header.find('\n', lf + 1)) {
    if (lf + 1 < header.size() && (header[lf + 1] == ' ' || header[lf + 1] == '\t')) return true;
  }
  return false;
}

// We read the first line of these; a proxy in front may read the last, or join them, and
// then it checks one credential or content type while we act on another.
bool repeated_singleton(const RawRequest& msg) {
  return count(msg, bhttp::field::authorization) > 1 || count(msg, bhttp::field::content_type) > 1;
}

boost::system::error_code check_header(const RawRequest& msg) {
  if (bad_transfer_encoding(msg)) return refused(Framing::transfer_encoding);
  if (bad_content_length(msg)) return refused(Framing::content_length);
  if (bad_host(msg)) return refused(Framing::host);
  if (repeated_singleton(msg)) return refused(Framing::repeated);
  return {};
}

std::size_t put_some(RequestParser& parser, boost::beast::flat_buffer& buffer,
                     boost::system::error_code& ec) {
  try {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    return used;
  } catch (const std::length_error&) {
    // Beast's field container throws for a name or value of 64 KiB or more: a header
    // under a MAX_HEADER_BYTES above that, or a trailer, which no header limit covers.
    ec = bhttp::error::header_limit;
    return 0;
  }
}

}  // namespace

std::optional<ApiError> parse_failure(const boost::system::error_code& ec) {
  if (ec.category() == framing_category()) return ApiError(ErrorCode::bad_request, ec.message());
  if (ec == bhttp::error::body_limit) return ApiError(ErrorCode::payload_too_large);
  if (ec == bhttp::error::header_limit) return ApiError(ErrorCode::headers_too_large);
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == bhttp::error::need_more)
    return std::nullopt;
  if (ec.category() == boost::system::error_code(bhttp::error::bad_target).category())
    return ApiError(ErrorCode::bad_request);
  return std::nullopt;  // timeouts, resets: nobody to answer
}

boost::system::error_code parse_buffered(RequestParser& parser, boost::beast::flat_buffer& buffer) {
  // The header alone first: Beast decides from it how the body is framed, and that must be
  // checked before any byte is taken as body (or as the next request). Then the body too,
  // as Beast's async_read does.
  parser.eager(parser.is_header_done());
  boost::system::error_code ec;
  while (buffer.size() > 0 && !parser.is_done()) {
    const bool had_header = parser.is_header_done();
    if (!had_header && folded(buffer)) return refused(Framing::folded);
    // Beast adds a chunked body's trailer fields to the header's, interleaved with them, so
    // a Host, Authorization or X-Forwarded-For a proxy never saw in the header would count
    // as if it had (RFC 9110 §6.5.1 forbids the merge). Refused, as they cannot be told apart.
    const std::size_t fields = had_header && parser.chunked() ? field_count(parser.get()) : 0;
    const std::size_t used = put_some(parser, buffer, ec);
    if (ec == bhttp::error::need_more) return {};
    if (ec) return ec;
    if (!had_header && parser.is_header_done()) {
      if (auto refusal = check_header(parser.get())) return refusal;
      parser.eager(true);
    }
    if (fields != 0 && field_count(parser.get()) != fields) return refused(Framing::trailer);
    if (used == 0) break;
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
                     const std::string& peer_ip, const std::vector<std::string>& trusted_proxies,
                     int ipv6_prefix) {
  Request req;
  // After a refusal the parser holds at most the header; the body is never used.
  if (!refusal || parser.is_header_done()) req.raw = parser.release();
  req.rejected = std::move(refusal);
  split_target(req);
  req.peer_ip = peer_ip;
  req.client_ip = client_address(peer_ip, forwarded_for(req), trusted_proxies);
  req.client_key = address_group(req.client_ip, ipv6_prefix);
  return req;
}

}  // namespace gh::http
