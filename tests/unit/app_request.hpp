#pragma once
// Requests run through a whole application's pipeline (middleware, router, guard, handler)
// without a socket, as the server would after reading them from a loopback client.
#include <string>

#include "app.hpp"
#include "core/run_sync.hpp"
#include "http/request.hpp"

namespace gh::test {

namespace bhttp = http::bhttp;

// A request with a JSON body; a `token` goes in as `Authorization: Bearer <token>`. Change
// or add fields on `raw` before sending it.
inline http::Request json_request(bhttp::verb method, const std::string& target,
                                  const std::string& token = {}, const std::string& body = "{}") {
  http::Request req;
  req.raw = http::RawRequest(method, target, 11);
  req.raw.set(bhttp::field::host, "localhost");
  req.raw.set(bhttp::field::content_type, "application/json");
  if (!token.empty()) req.raw.set(bhttp::field::authorization, "Bearer " + token);
  req.raw.body() = body;
  return req;
}

// What `app` answers to `req`, coming from 127.0.0.1.
inline http::Response send(App& app, http::Request req) {
  req.raw.prepare_payload();
  http::split_target(req);  // here: the path and query point into this copy's target
  req.peer_ip = req.client_ip = req.client_key = "127.0.0.1";
  return run_sync(app.pipeline().run(req));
}

inline http::Response send(App& app, bhttp::verb method, const std::string& target,
                           const std::string& token = {}, const std::string& body = "{}") {
  return send(app, json_request(method, target, token, body));
}

}  // namespace gh::test
