#include "routers/embedded_asset.hpp"

#include "core/api_error.hpp"
#include "routers/conditional_body.hpp"

namespace gh::routers {
namespace {

// True when Accept-Encoding admits gzip ("gzip", "x-gzip" or "*", unless with q=0).
bool accepts_gzip(std::string_view header) {
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    auto coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    auto params = semi == std::string_view::npos ? std::string_view{} : item.substr(semi);
    bool refused = params.find("q=0") != std::string_view::npos &&
                   params.find_first_of("123456789", params.find("q=0")) == std::string_view::npos;
    if (!refused) return true;
  }
  return false;
}

}  // namespace

http::Response serve_asset(const http::Request& req, const std::vector<EmbeddedAsset>& assets,
                           std::string_view cache_control) {
  auto name = req.path_param("file");
  for (const auto& a : assets) {
    if (a.name != name) continue;
    if (a.gzip_body.empty())
      return conditional_body(req, a.body, a.content_type, a.etag, cache_control);
    bool gzip = accepts_gzip(req.header(http::bhttp::field::accept_encoding));
    http::Response res =
        gzip ? conditional_body(req, a.gzip_body, a.content_type, a.gzip_etag, cache_control)
             : conditional_body(req, a.body, a.content_type, a.etag, cache_control);
    if (gzip) res.set(http::bhttp::field::content_encoding, "gzip");
    res.set(http::bhttp::field::vary, "Accept-Encoding");
    return res;
  }
  throw ApiError(ErrorCode::not_found);
}

}  // namespace gh::routers
