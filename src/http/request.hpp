#pragma once
// A request as handlers see it: Beast's message plus what the framework learnt about it
// (path, route parameters, client address, request id, the authenticated user).
#include <any>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/api_error.hpp"
#include "http/field_allocator.hpp"

namespace gh::http {

namespace bhttp = boost::beast::http;
using Fields = bhttp::basic_fields<FieldAllocator<char>>;
using RawRequest = bhttp::request<bhttp::string_body, Fields>;
using Response = bhttp::response<bhttp::string_body, Fields>;

struct Route;

struct Request {
  RawRequest raw;
  std::string_view path;   // without scheme, authority, query; in raw.target(), or "/"
  std::string_view query;  // after '?', undecoded
  std::vector<std::pair<std::string_view, std::string_view>> path_params;
  std::string peer_ip;     // the socket's peer
  std::string client_ip;   // peer_ip, or X-Forwarded-For's when peer is a trusted proxy
  std::string client_key;  // client_ip as per-client limits count it (address_group)
  std::string request_id;
  const Route* route = nullptr;  // set by the router once matched
  std::string user_id;           // set by the authorizer, for the access log
  std::any caller;               // set by the authorizer on routes that are not public
  // Set when the server refused the message itself (too large, malformed): the pipeline
  // answers it in place of a route, so the refusal still gets a request id, CORS and the
  // security headers like any other error.
  std::optional<ApiError> rejected;

  std::string_view header(bhttp::field f) const {
    auto it = raw.find(f);
    return it == raw.end() ? std::string_view{} : std::string_view{it->value()};
  }
  std::string_view header(std::string_view name) const {
    auto it = raw.find(name);
    return it == raw.end() ? std::string_view{} : std::string_view{it->value()};
  }
  std::string_view path_param(std::string_view name) const {
    for (const auto& [k, v] : path_params)
      if (k == name) return v;
    return {};
  }
  // The percent-decoded value of the first `name` in the query string.
  std::optional<std::string> query_param(std::string_view name) const;
};

// Splits raw.target() (origin or absolute form) into path and query; call once after the
// message is read.
void split_target(Request& req);

}  // namespace gh::http
