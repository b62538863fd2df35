#pragma once
// The two HTML pages that load the embedded Swagger UI and ReDoc and point them at
// /openapi.json.
#include <string>

namespace gh::routers {

std::string swagger_ui_page();
std::string redoc_page();

}  // namespace gh::routers
