#pragma once
// GET /admin: the admin console, a static page and its modules compiled into the binary.
// Public like /docs: it holds nothing, and everything it shows comes from the API, which
// decides who may see it. ADMIN_CONSOLE=off leaves these routes out.
#include <vector>

#include "http/route.hpp"

namespace gh::routers {

std::vector<http::Route> console_routes();

}  // namespace gh::routers
