#include "http/request.hpp"

#include <boost/beast/core/string.hpp>

#include "http/percent_decode.hpp"

namespace gh::http {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && boost::beast::iequals(s.substr(0, prefix.size()), prefix);
}

// An absolute-form target (RFC 9112 §3.2.2) is what a client sends to a proxy, and a server
// must accept it too: routed by what follows the authority, as the origin form would be.
bool drop_scheme_and_authority(std::string_view& target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (!starts_with_nocase(target, scheme)) continue;
    target.remove_prefix(scheme.size());
    const auto end = target.find_first_of("/?");
    target.remove_prefix(end == std::string_view::npos ? target.size() : end);
    return true;
  }
  return false;
}

}  // namespace

void split_target(Request& req) {
  std::string_view target{req.raw.target().data(), req.raw.target().size()};
  const bool absolute = drop_scheme_and_authority(target);
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (absolute && req.path.empty()) req.path = "/";  // "http://host" and "http://host?q"
  req.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (percent_decode(key) != name) continue;
    return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace gh::http
