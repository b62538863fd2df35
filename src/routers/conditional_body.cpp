#include "routers/conditional_body.hpp"

#include <string>

namespace gh::routers {
namespace {

bool matches(std::string_view if_none_match, std::string_view etag) {
  return !if_none_match.empty() &&
         (if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos);
}

}  // namespace

http::Response conditional_body(const http::Request& req, std::string_view body,
                                std::string_view content_type, std::string_view etag,
                                std::string_view cache_control, std::string_view csp) {
  bool fresh = matches(req.header(http::bhttp::field::if_none_match), etag);
  http::Response res{fresh ? http::bhttp::status::not_modified : http::bhttp::status::ok, 11};
  res.set(http::bhttp::field::etag, etag);
  res.set(http::bhttp::field::cache_control, cache_control);
  if (!csp.empty()) res.set("Content-Security-Policy", csp);
  if (!fresh) {
    res.set(http::bhttp::field::content_type, content_type);
    res.body() = std::string(body);
  }
  res.prepare_payload();
  // A 304's Content-Length would describe the 200's body, which we do not know here.
  if (fresh) res.erase(http::bhttp::field::content_length);
  return res;
}

}  // namespace gh::routers
