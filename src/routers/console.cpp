#include "routers/console.hpp"

#include "routers/conditional_body.hpp"
#include "routers/console_assets.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Tag;
using http::bhttp::verb;

namespace {

// Scripts and styles from this server only, none inline; the API on this origin only; never
// framed; no form posts anywhere (the console sends JSON with fetch); no plugin, no base.
// The QR code of an enrolment is inline SVG, which needs no source at all.
constexpr std::string_view kConsolePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

}  // namespace

std::vector<http::Route> console_routes() {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/admin",
                    .tag = Tag::docs,
                    .summary = "The admin console (a page; it signs in through the API)",
                    .conditional_get = true,
                    .response_schema = "HtmlPage",
                    .handler = [](http::Request& req) -> awaitable<http::Response> {
                      const auto& page = console_page();
                      // no-store: the page is where tokens live; no cache keeps a copy.
                      co_return conditional_body(req, page.body, page.content_type, page.etag,
                                                 "no-store", kConsolePolicy);
                    }});
  routes.push_back({.method = verb::get,
                    .path = "/admin/assets/{file}",
                    .tag = Tag::docs,
                    .summary = "A module or style sheet of the admin console",
                    .conditional_get = true,
                    .response_schema = "StaticAsset",
                    .errors = {ErrorCode::not_found},
                    .handler = [](http::Request& req) -> awaitable<http::Response> {
                      // Unversioned names: revalidated each time, a 304 when unchanged.
                      co_return serve_asset(req, console_assets(), "no-cache");
                    }});
  return routes;
}

}  // namespace gh::routers
