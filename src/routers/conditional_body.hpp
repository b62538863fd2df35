#pragma once
// A body served whole from memory with a strong ETag, so that revalidation costs a 304: the
// docs pages and assets, the OpenAPI document, the JWKS (routes with Route::conditional_get).
#include <string_view>

#include "http/request.hpp"

namespace gh::routers {

http::Response conditional_body(const http::Request& req, std::string_view body,
                                std::string_view content_type, std::string_view etag,
                                std::string_view cache_control, std::string_view csp = {});

}  // namespace gh::routers
