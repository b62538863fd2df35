#pragma once
// Method + path-template routing. "/users" and "/users/" are the same path. A literal
// segment wins over a template at the same place whatever the order of declaration
// ("/users/me" over "/users/{id}"), and two routes for one method that would match the same
// paths at the same rank are refused when the table is built.
#include <string>
#include <string_view>
#include <vector>

#include "http/route.hpp"

namespace gh::http {

class Router {
 public:
  // Throws std::logic_error naming both routes when `route` could match the same paths
  // as one already added, for the same method, at the same rank.
  void add(Route route);

  // The route for the request, with its path parameters stored in `req` (req.route when
  // set already). Throws ApiError: 404 for an unknown path, 405 (with Allow) for a known
  // path and another method.
  const Route& match(Request& req) const;
  // The same without throwing: null for no route of this method and path, with the methods
  // the path does answer added to `allow` when given.
  const Route* find(Request& req, std::string* allow = nullptr) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{name}" marks a parameter
  };
  static bool match_segments(const Compiled& c, std::string_view path,
                             std::vector<std::pair<std::string_view, std::string_view>>& out);

  // Literal before template, segment by segment from the left: match tries in this order,
  // so the first route that matches a path is the most specific one.
  static bool more_specific(const Compiled& a, const Compiled& b);
  static bool same_rank(const Compiled& a, const Compiled& b);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::vector<std::size_t> order_;  // indices of routes_, most specific first
};

}  // namespace gh::http
