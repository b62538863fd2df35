#include "middleware/request_id.hpp"

#include <sodium.h>

#include <cstdint>

namespace gh::middleware {
namespace {

bool acceptable(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Ids need to be unique, not secret: a random per-thread prefix and a counter, as 24 hex
// digits (16 of prefix, the counter's low 32 bits in 8).
std::string next_id() {
  thread_local std::uint64_t prefix =
      (static_cast<std::uint64_t>(randombytes_random()) << 32) | randombytes_random();
  thread_local std::uint64_t counter = 0;
  constexpr char kHex[] = "0123456789abcdef";
  std::string id(24, '0');
  const std::uint64_t count = ++counter & 0xffffffffu;
  for (int i = 0; i < 16; ++i) id[15 - i] = kHex[(prefix >> (4 * i)) & 0xf];
  for (int i = 0; i < 8; ++i) id[23 - i] = kHex[(count >> (4 * i)) & 0xf];
  return id;
}

}  // namespace

boost::asio::awaitable<http::Response> RequestId::handle(http::Request& req, http::Next next) {
  std::string_view given = req.header("X-Request-ID");
  req.request_id = acceptable(given) ? std::string(given) : next_id();
  http::Response res = co_await next(req);
  res.set("X-Request-ID", req.request_id);
  co_return res;
}

}  // namespace gh::middleware
