#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

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

bool Router::more_specific(const Compiled& a, const Compiled& b) {
  const std::size_t n = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool a_literal = !is_param(a.segments[i]);
    if (a_literal != !is_param(b.segments[i])) return a_literal;
  }
  return false;  // of different lengths, no path matches both
}

// Every path one matches, the other matches too: the same segments, up to the names of
// the parameters.
bool Router::same_rank(const Compiled& a, const Compiled& b) {
  if (a.segments.size() != b.segments.size()) return false;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    const bool a_param = is_param(a.segments[i]);
    if (a_param != is_param(b.segments[i])) return false;
    if (!a_param && a.segments[i] != b.segments[i]) return false;
  }
  return true;
}

void Router::add(Route route) {
  Compiled compiled{split(route.path)};
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == route.method && same_rank(compiled_[i], compiled)) {
      throw std::logic_error("routes " + std::string(bhttp::to_string(route.method)) + " " +
                             routes_[i].path + " and " + route.path + " match the same paths");
    }
  }
  route.index = routes_.size();
  const auto place = std::upper_bound(
      order_.begin(), order_.end(), compiled,
      [this](const Compiled& c, std::size_t i) { return more_specific(c, compiled_[i]); });
  order_.insert(place, routes_.size());
  compiled_.push_back(std::move(compiled));
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

const Route* Router::find(Request& req, std::string* allow) const {
  std::string_view path = normalize(req.path);
  if (path.empty() || path.front() != '/') return nullptr;
  std::vector<std::pair<std::string_view, std::string_view>> params;
  const Compiled* first = nullptr;
  // Most specific first: the first template that matches the path is the path's one, and
  // only its own routes (other methods) are looked at after it.
  for (const std::size_t i : order_) {
    if (first && !same_rank(compiled_[i], *first)) continue;
    if (!match_segments(compiled_[i], path, params)) continue;
    first = &compiled_[i];
    if (routes_[i].method == req.raw.method()) {
      req.path_params = std::move(params);
      req.route = &routes_[i];
      return &routes_[i];
    }
    if (!allow) continue;
    std::string_view name = bhttp::to_string(routes_[i].method);
    if (allow->find(name) == std::string::npos) {
      if (!allow->empty()) *allow += ", ";
      allow->append(name);
    }
  }
  return nullptr;
}

const Route& Router::match(Request& req) const {
  if (req.route) return *req.route;
  std::string allow;
  if (const Route* route = find(req, &allow)) return *route;
  if (allow.empty()) throw ApiError(ErrorCode::not_found);
  ApiError error(ErrorCode::method_not_allowed);
  error.headers.emplace_back("Allow", std::move(allow));
  throw error;
}

}  // namespace gh::http

namespace gh::http {

std::string_view tag_name(Tag tag) {
  switch (tag) {
    case Tag::auth:
      return "auth";
    case Tag::users:
      return "users";
    case Tag::sessions:
      return "sessions";
    case Tag::audit:
      return "audit";
    case Tag::keys:
      return "keys";
    case Tag::health:
      return "health";
    case Tag::monitoring:
      return "monitoring";
    case Tag::docs:
      return "docs";
  }
  return "";
}

}  // namespace gh::http
