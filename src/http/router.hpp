#pragma once
// Method + path-template routing. "/users" and "/users/" are the same path.
#include <string>
#include <string_view>
#include <vector>

#include "http/route.hpp"

namespace gh::http {

class Router {
 public:
  void add(Route route);

  // The route for the request, with its path parameters stored in `req`.
  // Throws ApiError: 404 for an unknown path, 405 (with Allow) for a known path and
  // another method.
  const Route& match(Request& req) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" marks a parameter
  };
  static bool match_segments(const Compiled& c, std::string_view path,
                             std::vector<std::pair<std::string_view, std::string_view>>& out);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace gh::http
