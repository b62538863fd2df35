// How the reader frames what arrives: a header whose framing or Host another reader of the
// same bytes could take otherwise, or a trailer, is refused (400, and the server then
// closes), an absolute-form target is routed by its path, and a coded JSON body is a 415.
#include "http/incoming.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "http/json_body.hpp"
#include "http/router.hpp"

namespace gh::http {
namespace {

struct Parsed {
  boost::system::error_code ec;
  bool done = false;
  std::string body;
  std::size_t unread = 0;  // bytes left in the buffer for the next request
};

void append(boost::beast::flat_buffer& buffer, std::string_view bytes) {
  auto in = buffer.prepare(bytes.size());
  std::memcpy(in.data(), bytes.data(), bytes.size());
  buffer.commit(bytes.size());
}

// The server's own in-place parse, fed `pieces` one after the other as reads would bring them.
Parsed parse(std::initializer_list<std::string_view> pieces) {
  RequestParser parser;
  parser.header_limit(8192);
  parser.body_limit(1 << 20);
  boost::beast::flat_buffer buffer;
  Parsed out;
  for (std::string_view piece : pieces) {
    append(buffer, piece);
    out.ec = parse_buffered(parser, buffer);
    if (out.ec) break;
  }
  out.done = parser.is_done();
  if (out.done) out.body = parser.get().body();
  out.unread = buffer.size();
  return out;
}

Parsed parse(std::string_view wire) {
  return parse({wire});
}

// What the server answers a message the reader refused; 0 when it served it.
int refused_status(const Parsed& p) {
  if (!p.ec) return 0;
  const auto refusal = parse_failure(p.ec);
  if (!refusal) return -1;
  EXPECT_EQ(refusal->code(), "BAD_REQUEST");
  return refusal->status();
}

constexpr std::string_view kNext = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";

std::string with_transfer_encoding(std::string_view lines) {
  return "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
         std::string(lines) + "\r\n" + std::string(kNext);
}

TEST(IncomingFraming, TransferEncodingOtherThanChunkedAloneIsRefused) {
  for (std::string_view te :
       {"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: xchunked\r\n",
        "Transfer-Encoding: chunk\r\n", "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: chunked, chunked\r\n", "Transfer-Encoding: identity\r\n",
        "Transfer-Encoding: deflate\r\n", "Transfer-Encoding:\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n"}) {
    SCOPED_TRACE(te);
    EXPECT_EQ(refused_status(parse(with_transfer_encoding(te))), 400);
  }
}

TEST(IncomingFraming, ARefusalNamesTheTransferEncoding) {
  const auto refusal =
      parse_failure(parse(with_transfer_encoding("Transfer-Encoding: gzip\r\n")).ec);
  ASSERT_TRUE(refusal);
  EXPECT_NE(refusal->detail().find("Transfer-Encoding"), std::string::npos) << refusal->detail();
}

TEST(IncomingFraming, ChunkedAloneIsReadInAnyCaseAndSpacing) {
  for (std::string_view te : {"chunked", "Chunked", "CHUNKED", "  chunked\t"}) {
    SCOPED_TRACE(te);
    const Parsed p = parse("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string(te) +
                           "\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + std::string(kNext));
    EXPECT_FALSE(p.ec) << p.ec.message();
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.body, "{}");
    EXPECT_EQ(p.unread, kNext.size());  // the next request, untouched
  }
}

TEST(IncomingFraming, TransferEncodingInHttp10IsRefused) {
  EXPECT_EQ(refused_status(parse("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "2\r\n{}\r\n0\r\n\r\n")),
            400);
}

TEST(IncomingFraming, TransferEncodingBesideContentLengthIsRefused) {
  EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")),
            400);
  EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                 "Content-Length: 5\r\n\r\n0\r\n\r\n")),
            400);
}

TEST(IncomingFraming, ContentLengthGivenMoreThanOnceIsRefused) {
  for (std::string_view cl :
       {"Content-Length: 2\r\nContent-Length: 2\r\n", "Content-Length: 2, 2\r\n",
        "Content-Length: 2\r\nContent-Length: 9\r\n", "Content-Length: 2, 9\r\n"}) {
    SCOPED_TRACE(cl);
    EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\n" + std::string(cl) + "\r\n{}")),
              400);
  }
}

TEST(IncomingFraming, AnHttp11RequestNeedsExactlyOneHost) {
  EXPECT_EQ(refused_status(parse("GET /health HTTP/1.1\r\n\r\n")), 400);
  EXPECT_EQ(refused_status(parse("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")), 400);
  EXPECT_EQ(refused_status(parse("GET /health HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n")), 400);
  EXPECT_EQ(refused_status(parse("GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")), 400);
}

TEST(IncomingFraming, AuthorizationAndContentTypeAreGivenOnce) {
  EXPECT_EQ(refused_status(parse("GET /users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
                                 "Authorization: Bearer b\r\n\r\n")),
            400);
  EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")),
            400);
}

TEST(IncomingFraming, AHostMustBeAHostAndPort) {
  for (const char* host : {"a, b", "a b", "x/y", "a@b"})
    EXPECT_EQ(
        refused_status(parse("GET /health HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n")),
        400)
        << host;
  for (const char* host : {"example.com", "example.com:8000", "[2001:db8::1]:80", "127.0.0.1"})
    EXPECT_EQ(
        refused_status(parse("GET /health HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n")), 0)
        << host;
}

TEST(IncomingFraming, AFoldedHeaderLineIsRefused) {
  EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\nX-A: a\r\n Transfer-Encoding: "
                                 "chunked\r\nContent-Length: 0\r\n\r\n")),
            400);
  EXPECT_EQ(
      refused_status(parse({"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n", "\tHost: y\r\n\r\n"})),
      400);
}

TEST(IncomingFraming, AnHttp10RequestMayGoWithoutHost) {
  const Parsed p = parse("GET /health HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(p.ec) << p.ec.message();
  EXPECT_TRUE(p.done);
}

TEST(IncomingFraming, ARequestInPiecesIsCheckedOnceAndReadWhole) {
  const Parsed p = parse(
      {"POST /x HTTP/1.1\r\nHo", "st: x\r\nContent-Length: 7\r\n", "\r\n{\"a\"", ":1}", kNext});
  EXPECT_FALSE(p.ec) << p.ec.message();
  EXPECT_TRUE(p.done);
  EXPECT_EQ(p.body, "{\"a\":1}");
  EXPECT_EQ(p.unread, kNext.size());
}

TEST(IncomingFraming, AHeaderInPiecesIsStillChecked) {
  const Parsed p = parse({"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-", "Encoding: gzip\r\n\r\n",
                          std::string_view(kNext)});
  EXPECT_EQ(refused_status(p), 400);
}

TEST(IncomingFraming, ATrailerFieldIsRefused) {
  for (std::string_view trailer : {"Host: evil\r\n", "X-Forwarded-For: 203.0.113.9\r\n",
                                   "Authorization: Bearer t\r\n", "X-Anything: 1\r\n"}) {
    SCOPED_TRACE(trailer);
    EXPECT_EQ(refused_status(parse("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                   "\r\n2\r\n{}\r\n0\r\n" +
                                   std::string(trailer) + "\r\n")),
              400);
  }
  EXPECT_EQ(
      refused_status(parse({"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                            "2\r\n{}\r\n0\r\nX-Forwarded-", "For: 203.0.113.9\r\n\r\n"})),
      400);
}

std::pair<std::string, std::string> split(std::string target) {
  Request req;
  req.raw.target(target);
  split_target(req);
  return {std::string(req.path), std::string(req.query)};
}

TEST(RequestTarget, AbsoluteFormIsRoutedByItsPath) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split("http://x/health/live"), (P{"/health/live", ""}));
  EXPECT_EQ(split("HTTPS://api.example.com:8443/users/?limit=5&offset=1"),
            (P{"/users/", "limit=5&offset=1"}));
  EXPECT_EQ(split("http://user@x/users/me"), (P{"/users/me", ""}));
  EXPECT_EQ(split("http://x"), (P{"/", ""}));
  EXPECT_EQ(split("http://x?a=b"), (P{"/", "a=b"}));
}

TEST(RequestTarget, OriginFormIsUnchanged) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split("/users/?limit=5"), (P{"/users/", "limit=5"}));
  EXPECT_EQ(split("/http://x/health"), (P{"/http://x/health", ""}));
  EXPECT_EQ(split("ftp://x/health"), (P{"ftp://x/health", ""}));
}

TEST(RequestTarget, AbsoluteFormMatchesTheRoute) {
  Route live;
  live.path = "/health/live";
  live.handler = [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
  Router router;
  router.add(live);
  Request req;
  req.raw.method(bhttp::verb::get);
  req.raw.target("http://x/health/live?verbose=1");
  split_target(req);
  EXPECT_EQ(router.match(req).path, "/health/live");
  EXPECT_EQ(req.query_param("verbose"), "1");
}

Request json_request(std::initializer_list<std::string_view> encodings) {
  Request req;
  req.raw.set(bhttp::field::content_type, "application/json");
  for (std::string_view e : encodings) req.raw.insert(bhttp::field::content_encoding, e);
  req.raw.body() = R"({"a":1})";
  return req;
}

int json_status(const Request& req) {
  try {
    parse_json_body(req);
    return 200;
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "UNSUPPORTED_MEDIA_TYPE");
    return e.status();
  }
}

TEST(RequestBody, ACodedJsonBodyIsUnsupportedMedia) {
  EXPECT_EQ(json_status(json_request({"gzip"})), 415);
  EXPECT_EQ(json_status(json_request({"deflate"})), 415);
  EXPECT_EQ(json_status(json_request({"identity, gzip"})), 415);
  EXPECT_EQ(json_status(json_request({"identity", "br"})), 415);
}

TEST(RequestBody, AnIdentityJsonBodyIsRead) {
  EXPECT_EQ(json_status(json_request({})), 200);
  EXPECT_EQ(json_status(json_request({"identity"})), 200);
  EXPECT_EQ(json_status(json_request({" Identity "})), 200);
}

}  // namespace
}  // namespace gh::http
