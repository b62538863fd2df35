#pragma once
// A route is declared once: method, path template, access, handler and what the OpenAPI
// document needs to describe it. The router, the pipeline's authorizer (from `access`) and
// the document all read this one record; a handler never checks access itself.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace gh::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

enum class Access { anyone, user, admin };

// Checks a route's declared access before its handler runs, and leaves who is calling in
// Request::caller. The pipeline calls it for every route that is not `anyone`; the
// application's guard implements it.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Throws ApiError (401 without valid credentials, 403 without the rights) when the
  // request may not reach a route of `access`.
  virtual boost::asio::awaitable<void> authorize(Request& req, Access access) const = 0;
};

struct Route {
  bhttp::verb method = bhttp::verb::get;
  std::string path;  // template, e.g. "/users/{id}"
  Handler handler;
  Access access = Access::anyone;
  std::string tag;  // "auth", "users", "health", "docs"
  std::string summary;
  std::string request_schema;   // schema name of the JSON body, empty when none
  std::string response_schema;  // schema name of the success body, empty when none
  int success_status = 200;
  std::vector<int> error_statuses;  // besides the ones every route can answer
  std::string query_schema;         // parameter-set name of the query string, empty when none
  std::size_t index = 0;  // position in the router's table, set by Router::add (for metrics)
};

}  // namespace gh::http
