#include "schemas/signing_key.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/base64url.hpp"
#include "core/time_format.hpp"
#include "schemas/catalog.hpp"
#include "schemas/field_reader.hpp"
#include "services/key_ring.hpp"

namespace gh::schemas {
namespace {

constexpr std::size_t kMaxKidChars = 128;

boost::json::value time_or_null(const std::optional<std::int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::string(format_rfc3339(*t));
}

// The stored public key as its JWK; null if the row is unreadable (never expected: the
// ring refuses such a table at start).
boost::json::value public_jwk(const models::SigningKey& key) {
  const auto alg = crypto::parse_algorithm(key.alg);
  const auto bytes = base64url_decode(key.public_key);
  if (!alg || !bytes) return nullptr;
  const auto pub = crypto::PublicKey::from_bytes(*alg, *bytes);
  if (!pub) return nullptr;
  return boost::json::parse(services::public_jwk_json(*pub, key.kid));
}

bool is_base64url(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const char* kSigningKeyOut = R"json({
  "type": "object",
  "description": "A key that signs access tokens. standby: published, not signing; active: signs (exactly one); retired: published, verifies what it signed; revoked: unpublished, its tokens refused.",
  "required": ["kid", "alg", "state", "created_at", "activated_at", "retired_at", "revoked_at", "public_jwk"],
  "properties": {
    "kid": {"type": "string", "description": "The RFC 7638 thumbprint of the public key; the kid of the tokens it signs",
            "examples": ["kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"]},
    "alg": {"type": "string", "enum": ["EdDSA", "ES256"]},
    "state": {"type": "string", "enum": ["standby", "active", "retired", "revoked"]},
    "created_at": {"type": "string", "format": "date-time", "description": "Made, and published from then on; RFC 3339, UTC"},
    "activated_at": {"type": ["string", "null"], "format": "date-time", "description": "Last made the active key"},
    "retired_at": {"type": ["string", "null"], "format": "date-time", "description": "Stopped signing"},
    "revoked_at": {"type": ["string", "null"], "format": "date-time", "description": "Revoked"},
    "public_jwk": {"$ref": "#/components/schemas/PublicJwk"}
  }
})json";

const char* kPublicJwk = R"json({
  "type": "object",
  "description": "A public JSON Web Key (RFC 7517): OKP/Ed25519 for EdDSA, EC/P-256 for ES256. Never a private or symmetric key.",
  "required": ["kty", "crv", "x", "kid", "alg", "use"],
  "properties": {
    "kty": {"type": "string", "enum": ["OKP", "EC"]},
    "crv": {"type": "string", "enum": ["Ed25519", "P-256"]},
    "x": {"type": "string", "description": "base64url"},
    "y": {"type": "string", "description": "base64url; P-256 only"},
    "kid": {"type": "string"},
    "alg": {"type": "string", "enum": ["EdDSA", "ES256"]},
    "use": {"type": "string", "enum": ["sig"]}
  }
})json";

}  // namespace

boost::json::value encode_signing_key(const models::SigningKey& key) {
  return boost::json::object{{"kid", key.kid},
                             {"alg", key.alg},
                             {"state", models::key_state_name(key.state)},
                             {"created_at", format_rfc3339(key.created_at)},
                             {"activated_at", time_or_null(key.activated_at)},
                             {"retired_at", time_or_null(key.retired_at)},
                             {"revoked_at", time_or_null(key.revoked_at)},
                             {"public_jwk", public_jwk(key)}};
}

boost::json::value encode_signing_keys(const std::vector<models::SigningKey>& keys) {
  boost::json::array out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(encode_signing_key(k));
  return out;
}

std::string decode_key_create(const boost::json::value& body) {
  FieldReader reader(body);
  auto alg = reader.string("alg");
  if (alg && !crypto::parse_algorithm(*alg)) reader.fail("alg", "Expected EdDSA or ES256");
  reader.finish();
  return *alg;
}

std::string decode_kid(std::string_view raw) {
  if (raw.empty() || raw.size() > kMaxKidChars || !is_base64url(raw))
    throw validation_error({"path", "kid"},
                           "Expected a key id (base64url, at most 128 characters)");
  return std::string(raw);
}

bool decode_force(const std::optional<std::string>& raw) {
  if (!raw || *raw == "false") return false;
  if (*raw == "true") return true;
  throw validation_error({"query", "force"}, "Expected true or false");
}

void describe_signing_key_schemas(Catalog& c) {
  c.schemas["SigningKeyOut"] = boost::json::parse(kSigningKeyOut).as_object();
  c.schemas["PublicJwk"] = boost::json::parse(kPublicJwk).as_object();
  c.schemas["SigningKeyList"] = {{"type", "array"},
                                 {"description", "Every signing key, oldest first"},
                                 {"items", {{"$ref", "#/components/schemas/SigningKeyOut"}}}};
  c.schemas["SigningKeyCreate"] = {{"type", "object"},
                                   {"required", boost::json::array{"alg"}},
                                   {"properties",
                                    {{"alg",
                                      {{"type", "string"},
                                       {"enum", boost::json::array{"EdDSA", "ES256"}},
                                       {"description", "EdDSA (Ed25519) or ES256 (P-256)"}}}}}};
  c.schemas["JsonWebKeySet"] = {
      {"type", "object"},
      {"description",
       "The public keys that verify access tokens (RFC 7517): standby, active and retired "
       "keys. Empty when JWT_ALGORITHM is HS256 (tokens are then verified with SECRET_KEY)."},
      {"required", boost::json::array{"keys"}},
      {"properties",
       {{"keys", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/PublicJwk"}}}}}}}};
  c.path_parameters["kid"] = {{"name", "kid"},
                              {"in", "path"},
                              {"required", true},
                              {"description", "The key's id (its RFC 7638 thumbprint)"},
                              {"schema", {{"type", "string"}, {"maxLength", kMaxKidChars}}}};
  c.query_parameters["KeyForce"] = {query_parameter(
      "force", "true lifts the time guard (KEY_NOT_PROPAGATED, KEY_STILL_IN_USE); never ACTIVE_KEY",
      {{"type", "boolean"}, {"default", false}})};
}

}  // namespace gh::schemas
