#include "middleware/request_id.hpp"

#include <sodium.h>

#include <cstdio>

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

// Ids need to be unique, not secret: a random per-thread prefix and a counter.
std::string next_id() {
  thread_local std::uint64_t prefix = (static_cast<std::uint64_t>(randombytes_random()) << 32) |
                                      randombytes_random();
  thread_local std::uint64_t counter = 0;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%08llx", static_cast<unsigned long long>(prefix),
                static_cast<unsigned long long>(++counter & 0xffffffffu));
  return buf;
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
