#include "routers/docs.hpp"

#include <sodium.h>

#include <memory>

#include "core/api_error.hpp"
#include "routers/conditional_body.hpp"
#include "routers/docs_assets.hpp"
#include "routers/docs_pages.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Tag;
using http::bhttp::verb;

namespace {

// A body served whole from memory, with a strong ETag so revalidation costs a 304.
struct Static {
  std::string body;
  std::string content_type;
  std::string etag;
  std::string cache_control;
  std::string csp;  // Content-Security-Policy, for pages
};

std::string etag_of(std::string_view body) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return "\"" + std::string(hex) + "\"";
}

// The pages may load only from this server: no CDN, even for the logo ReDoc would fetch
// (it hides the image when the load fails). Both render with inline styles; ReDoc runs
// its search index in a blob: worker.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Pages and the document change with the binary: revalidate every time.
Static page(std::string body) {
  auto etag = etag_of(body);
  return {std::move(body), "text/html; charset=utf-8", std::move(etag), "no-cache",
          std::string(kPagePolicy)};
}

http::Route static_route(std::string path, std::shared_ptr<const Static> s, std::string summary,
                         std::string schema) {
  return {.method = verb::get,
          .path = std::move(path),
          .tag = Tag::docs,
          .summary = std::move(summary),
          .conditional_get = true,
          .response_schema = std::move(schema),
          .handler = [s](http::Request& req) -> awaitable<http::Response> {
            co_return conditional_body(req, s->body, s->content_type, s->etag, s->cache_control,
                                       s->csp);
          }};
}

}  // namespace

void PublishedDocument::publish(std::string json) {
  etag_ = etag_of(json);
  json_ = std::move(json);
}

std::vector<http::Route> docs_routes(const PublishedDocument& document) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/openapi.json",
                    .tag = Tag::docs,
                    .summary = "This OpenAPI 3.1 document",
                    .conditional_get = true,
                    .response_schema = "OpenApiDocument",
                    .handler = [&document](http::Request& req) -> awaitable<http::Response> {
                      co_return conditional_body(req, document.json(), "application/json",
                                                 document.etag(), "no-cache");
                    }});
  routes.push_back(static_route("/docs", std::make_shared<const Static>(page(swagger_ui_page())),
                                "Swagger UI: browse and try the API", "HtmlPage"));
  routes.push_back(static_route("/redoc", std::make_shared<const Static>(page(redoc_page())),
                                "ReDoc: the API reference", "HtmlPage"));
  routes.push_back({.method = verb::get,
                    .path = "/docs/assets/{file}",
                    .tag = Tag::docs,
                    .summary = "A script, style sheet or icon of the pages",
                    .conditional_get = true,
                    .response_schema = "StaticAsset",
                    .errors = {ErrorCode::not_found},
                    .handler = [](http::Request& req) -> awaitable<http::Response> {
                      // Versioned URLs (?v=) never change content: browsers keep them a week.
                      co_return serve_asset(req, docs_assets(),
                                            "public, max-age=604800, immutable");
                    }});
  return routes;
}

}  // namespace gh::routers
