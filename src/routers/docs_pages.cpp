#include "routers/docs_pages.hpp"

#include "routers/docs_assets.hpp"

namespace gh::routers {
namespace {

// Asset URLs carry the package version, so browsers may cache them for long: a new
// version is a new URL.
std::string asset(std::string_view name, std::string_view version) {
  return "/docs/assets/" + std::string(name) + "?v=" + std::string(version);
}

}  // namespace

std::string swagger_ui_page() {
  auto v = docs_versions().swagger_ui;
  return R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gatehouse API - Swagger UI</title>
<link rel="stylesheet" href=")" +
         asset("swagger-ui.css", v) + R"(">
<link rel="icon" type="image/png" href=")" +
         asset("favicon-32x32.png", v) + R"(">
</head>
<body>
<div id="swagger-ui"></div>
<script src=")" +
         asset("swagger-ui-bundle.js", v) + R"("></script>
<script>
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
</script>
</body>
</html>
)";
}

std::string redoc_page() {
  auto v = docs_versions().redoc;
  return R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gatehouse API - ReDoc</title>
<link rel="icon" type="image/png" href=")" +
         asset("favicon-32x32.png", docs_versions().swagger_ui) + R"(">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src=")" +
         asset("redoc.standalone.js", v) + R"("></script>
</body>
</html>
)";
}

}  // namespace gh::routers
