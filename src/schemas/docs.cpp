// The bodies of the documentation and monitoring endpoints: the OpenAPI document itself,
// the Swagger UI and ReDoc pages with their assets, and the Prometheus exposition.
#include "schemas/catalog.hpp"

namespace gh::schemas {

void describe_docs_schemas(Catalog& c) {
  c.schemas["OpenApiDocument"] = {
      {"type", "object"},
      {"description", "This document (OpenAPI 3.1)"},
      {"required", boost::json::array{"openapi", "info", "paths"}},
      {"properties",
       {{"openapi", {{"type", "string"}, {"examples", boost::json::array{"3.1.0"}}}},
        {"info", {{"type", "object"}}},
        {"paths", {{"type", "object"}}}}}};
  c.schemas["HtmlPage"] = {{"type", "string"}, {"description", "An HTML page"}};
  c.media_types["HtmlPage"] = {"text/html"};
  c.schemas["StaticAsset"] = {{"type", "string"},
                              {"description", "A script, style sheet or image of the pages"}};
  // The kinds cmake/embed_docs_assets.cmake and embed_console_assets.cmake embed (text ones
  // in UTF-8).
  c.media_types["StaticAsset"] = {"text/javascript", "text/css", "image/png", "image/svg+xml"};
  c.schemas["PrometheusText"] = {
      {"type", "string"},
      {"description", "Prometheus text exposition format 0.0.4"},
      {"examples", boost::json::array{"# TYPE gatehouse_http_requests_in_flight gauge\n"
                                      "gatehouse_http_requests_in_flight 1\n"}}};
  c.media_types["PrometheusText"] = {"text/plain"};
  c.path_parameters["file"] = {
      {"name", "file"},
      {"in", "path"},
      {"required", true},
      {"description", "The asset's file name"},
      {"schema", {{"type", "string"}, {"examples", boost::json::array{"swagger-ui.css"}}}}};
}

}  // namespace gh::schemas
