// serialize_response() must put on the wire exactly what Beast's serializer did before it.
#include "http/response_bytes.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>
#include <sstream>

namespace gh::http {
namespace {

std::string beast_bytes(const Response& res) {
  std::ostringstream os;
  os << res;
  return os.str();
}

std::string our_bytes(const Response& res) {
  std::string out;
  serialize_response(res, out);
  return out;
}

Response json_ok() {
  Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.set("X-Request-ID", "abc123");
  res.set("Vary", "Origin");
  res.body() = R"({"status":"alive"})";
  res.prepare_payload();
  return res;
}

TEST(ResponseBytes, JsonResponseMatchesBeast) {
  Response res = json_ok();
  res.keep_alive(true);
  ASSERT_TRUE(serializable(res));
  EXPECT_EQ(our_bytes(res), beast_bytes(res));
  EXPECT_EQ(our_bytes(res).rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

TEST(ResponseBytes, AnswerToHeadIsTheHeaderAloneWithItsLength) {
  const Response res = json_ok();
  std::string head;
  serialize_response(res, head, {}, false);
  const std::string whole = our_bytes(res);
  EXPECT_EQ(head, whole.substr(0, whole.size() - res.body().size()));
  EXPECT_NE(head.find("Content-Length: 18\r\n"), std::string::npos) << head;
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
}

TEST(ResponseBytes, ClosingResponseCarriesConnectionClose) {
  Response res = json_ok();
  res.result(bhttp::status::payload_too_large);
  res.keep_alive(false);
  EXPECT_EQ(our_bytes(res), beast_bytes(res));
  EXPECT_NE(our_bytes(res).find("\r\nConnection: close\r\n"), std::string::npos);
}

TEST(ResponseBytes, EmptyBodiesAndUnusualStatuses) {
  for (unsigned status : {204u, 304u, 429u, 503u, 599u}) {
    Response res{static_cast<bhttp::status>(status), 11};
    res.prepare_payload();
    EXPECT_EQ(our_bytes(res), beast_bytes(res)) << status;
  }
}

TEST(ResponseBytes, CustomReasonAndHttp10) {
  Response res = json_ok();
  res.reason("Fine Thanks");
  res.version(10);
  EXPECT_EQ(our_bytes(res), beast_bytes(res));
  EXPECT_EQ(our_bytes(res).rfind("HTTP/1.0 200 Fine Thanks\r\n", 0), 0u);
}

TEST(ResponseBytes, AppendsToWhatTheBufferHolds) {
  std::string out = "previous";
  serialize_response(json_ok(), out);
  EXPECT_EQ(out, "previous" + beast_bytes(json_ok()));
}

// The server's fixed fields go on the wire as if they had been the response's last ones.
TEST(ResponseBytes, FixedFieldsFollowTheResponsesOwn) {
  std::string out;
  serialize_response(json_ok(), out, "X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n");
  Response with = json_ok();
  with.insert("X-Frame-Options", "DENY");
  with.insert("Referrer-Policy", "no-referrer");
  EXPECT_EQ(out, beast_bytes(with));
}

TEST(ResponseBytes, ChunkedIsLeftToBeast) {
  Response res{bhttp::status::ok, 11};
  res.chunked(true);
  EXPECT_FALSE(serializable(res));
}

}  // namespace
}  // namespace gh::http
