#include "http/router.hpp"

#include <algorithm>

#include "core/api_error.hpp"

namespace gh::http {
namespace {

std::string_view normalize(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  path = normalize(path);
  std::size_t pos = 1;
  while (pos <= path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    out.emplace_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Route route) {
  compiled_.push_back(Compiled{split(route.path)});
  route.index = routes_.size();
  routes_.push_back(std::move(route));
}

bool Router::match_segments(const Compiled& c, std::string_view path,
                            std::vector<std::pair<std::string_view, std::string_view>>& out) {
  out.clear();
  std::size_t pos = 1;
  for (const auto& segment : c.segments) {
    if (pos > path.size()) return false;
    auto next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    std::string_view part = path.substr(pos, next - pos);
    if (is_param(segment)) {
      if (part.empty()) return false;
      out.emplace_back(std::string_view(segment).substr(1, segment.size() - 2), part);
    } else if (part != segment) {
      return false;
    }
    pos = next + 1;
  }
  return pos > path.size();
}

const Route& Router::match(Request& req) const {
  std::string_view path = normalize(req.path);
  if (path.empty() || path.front() != '/') throw ApiError(404, "NOT_FOUND", "Not found");
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::string allow;
  const Compiled* first = nullptr;
  // Literal routes are listed before templates that could shadow them ("/users/me"
  // before "/users/{id}"): the first template that matches the path is the path's one.
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (first && compiled_[i].segments != first->segments) continue;
    if (!match_segments(compiled_[i], path, params)) continue;
    first = &compiled_[i];
    if (routes_[i].method == req.raw.method()) {
      req.path_params = std::move(params);
      req.route = &routes_[i];
      return routes_[i];
    }
    std::string_view name = bhttp::to_string(routes_[i].method);
    if (allow.find(name) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow.append(name);
    }
  }
  if (allow.empty()) throw ApiError(404, "NOT_FOUND", "Not found");
  ApiError error(405, "METHOD_NOT_ALLOWED", "Method not allowed");
  error.headers.emplace_back("Allow", std::move(allow));
  throw error;
}

}  // namespace gh::http
