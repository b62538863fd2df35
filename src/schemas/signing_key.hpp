#pragma once
// The signing keys' bodies and parameters (API.md part two, "Signing keys"): SigningKeyOut,
// the {alg} of a new key, the {kid} of a path, ?force, and the JWKS.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/signing_key.hpp"

namespace gh::schemas {

// {kid, alg, state, created_at, activated_at, retired_at, revoked_at, public_jwk}; a time not
// reached is null.
boost::json::value encode_signing_key(const models::SigningKey& key);
boost::json::value encode_signing_keys(const std::vector<models::SigningKey>& keys);

// The alg of {"alg": "EdDSA" | "ES256"}, or a 422 at ["body", "alg"].
std::string decode_key_create(const boost::json::value& body);
// The {kid} path parameter (an RFC 7638 thumbprint: base64url, at most 128 characters), or a
// 422 at ["path", "kid"].
std::string decode_kid(std::string_view raw);
// ?force: absent or "false" is false, "true" is true, anything else a 422 at ["query", "force"].
bool decode_force(const std::optional<std::string>& raw);

}  // namespace gh::schemas
