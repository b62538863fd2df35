#pragma once
#include <vector>

#include "http/route.hpp"
#include "services/key_ring.hpp"
#include "services/signing_keys.hpp"

namespace gh::routers {

// GET /.well-known/jwks.json (anyone); admin: GET|POST /admin/keys,
// POST /admin/keys/{kid}/activate, POST /admin/keys/{kid}/revoke, DELETE /admin/keys/{kid}.
std::vector<http::Route> key_routes(services::SigningKeys& keys, const services::KeyRing& ring);

}  // namespace gh::routers
