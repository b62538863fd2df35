#include "routers/keys.hpp"

#include "dependencies/client.hpp"
#include "http/json_body.hpp"
#include "routers/conditional_body.hpp"
#include "schemas/signing_key.hpp"

namespace gh::routers {

using boost::asio::awaitable;
using http::Access;
using http::Tag;
using http::bhttp::verb;

namespace {

// What panva jose and PyJWT's PyJWKClient cache a key set for; a verifier that meets an
// unknown kid refetches at once, so a new key is never waited for this long (it is published
// KEY_PROPAGATION_SECONDS before it signs).
constexpr std::string_view kJwksCacheControl = "public, max-age=300";

http::Route jwks_route(const services::KeyRing& ring) {
  return {.method = verb::get,
          .path = "/.well-known/jwks.json",
          .tag = Tag::keys,
          .summary = "The public keys that verify access tokens (JWKS); empty in HS256 mode",
          .conditional_get = true,
          .response_schema = "JsonWebKeySet",
          .handler = [&ring](http::Request& req) -> awaitable<http::Response> {
            const auto keys = ring.current();
            auto res = conditional_body(req, keys->jwks, "application/json", keys->etag,
                                        kJwksCacheControl);
            res.set("Access-Control-Allow-Origin", "*");
            co_return res;
          }};
}

services::KeyCommand command(const http::Request& req) {
  return {.actor = dependencies::actor(req),
          .force = schemas::decode_force(req.query_param("force"))};
}

http::Route transition(services::SigningKeys& keys, std::string path, std::string summary,
                       std::vector<ErrorCode> errors,
                       awaitable<models::SigningKey> (services::SigningKeys::*change)(
                           const std::string&, const services::KeyCommand&)) {
  return {.method = verb::post,
          .path = std::move(path),
          .access = Access::admin,
          .tag = Tag::keys,
          .summary = std::move(summary),
          .query_schema = "KeyForce",
          .response_schema = "SigningKeyOut",
          .errors = std::move(errors),
          .handler = [&keys, change](http::Request& req) -> awaitable<http::Response> {
            const auto kid = schemas::decode_kid(req.path_param("kid"));
            const auto key = co_await (keys.*change)(kid, command(req));
            co_return http::json_response(200, schemas::encode_signing_key(key));
          }};
}

std::vector<http::Route> admin_key_routes(services::SigningKeys& keys) {
  std::vector<http::Route> routes;
  routes.push_back({.method = verb::get,
                    .path = "/admin/keys",
                    .access = Access::admin,
                    .tag = Tag::keys,
                    .summary = "Every signing key and its state, oldest first",
                    .response_schema = "SigningKeyList",
                    .handler = [&keys](http::Request&) -> awaitable<http::Response> {
                      co_return http::json_response(
                          200, schemas::encode_signing_keys(co_await keys.list()));
                    }});
  routes.push_back({.method = verb::post,
                    .path = "/admin/keys",
                    .access = Access::admin,
                    .tag = Tag::keys,
                    .summary = "Make a standby key: published at once, signing once activated",
                    .request_schema = "SigningKeyCreate",
                    .response_schema = "SigningKeyOut",
                    .success_status = 201,
                    .handler = [&keys](http::Request& req) -> awaitable<http::Response> {
                      const auto alg = schemas::decode_key_create(http::parse_json_body(req));
                      const auto key =
                          co_await keys.create(alg, {.actor = dependencies::actor(req)});
                      co_return http::json_response(201, schemas::encode_signing_key(key));
                    }});
  routes.push_back(
      transition(keys, "/admin/keys/{kid}/activate",
                 "Make a key the one that signs; the key that did is retired (still published)",
                 {ErrorCode::key_not_found, ErrorCode::key_not_propagated, ErrorCode::key_revoked},
                 &services::SigningKeys::activate));
  routes.push_back(
      transition(keys, "/admin/keys/{kid}/revoke",
                 "Unpublish a key: every instance refuses its tokens within KEYS_REFRESH_SECONDS",
                 {ErrorCode::key_not_found, ErrorCode::active_key, ErrorCode::key_still_in_use},
                 &services::SigningKeys::revoke));
  routes.push_back(
      {.method = verb::delete_,
       .path = "/admin/keys/{kid}",
       .access = Access::admin,
       .tag = Tag::keys,
       .summary = "Delete a revoked key",
       .success_status = 204,
       .errors = {ErrorCode::key_not_found, ErrorCode::active_key, ErrorCode::key_not_revoked},
       .handler = [&keys](http::Request& req) -> awaitable<http::Response> {
         const auto kid = schemas::decode_kid(req.path_param("kid"));
         co_await keys.remove(kid, {.actor = dependencies::actor(req)});
         co_return http::empty_response(204);
       }});
  return routes;
}

}  // namespace

std::vector<http::Route> key_routes(services::SigningKeys& keys, const services::KeyRing& ring) {
  auto routes = admin_key_routes(keys);
  routes.push_back(jwks_route(ring));
  return routes;
}

}  // namespace gh::routers
