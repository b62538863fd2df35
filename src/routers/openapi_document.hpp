#pragma once
// The OpenAPI 3.1 document, generated from the router's table and the schemas' own
// descriptions: nothing is written by hand, so the document cannot drift from the code.
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "http/route.hpp"
#include "schemas/catalog.hpp"

namespace gh::routers {

// A route names a schema, parameter set or path parameter the catalog does not describe.
class UndocumentedRoute : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws UndocumentedRoute naming the route and what is missing.
boost::json::object openapi_document(const std::vector<http::Route>& routes,
                                     const schemas::Catalog& catalog, std::string_view version);

// "post_auth_register", "get_users_id": unique per method and path.
std::string operation_id(const http::Route& route);

// The route's key in `paths`: its template without a trailing slash.
std::string document_path(const std::string& path);

// The error statuses a route can answer: its own plus those implied by what it takes
// (a body, parameters, a bearer token) and those every route can answer (413, 429, 500,
// 503).
std::vector<int> error_statuses(const http::Route& route);

}  // namespace gh::routers
