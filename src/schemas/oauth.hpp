#pragma once
// The OAuth 2.0 side of /auth: the token request (RFC 6749 §4.3 and §6), its answer (§5.1)
// and the authorization server's metadata (RFC 8414).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "services/auth_types.hpp"

namespace gh::schemas {

enum class Grant { password, refresh_token };

struct TokenRequest {
  Grant grant = Grant::password;
  services::Credentials credentials;  // the password grant's username (email) and password
  std::string refresh_token;          // the refresh_token grant's
};

// From the form's fields (http::parse_form_body). `scope`, `client_id` and `client_secret`
// are read by no one: there are no scopes, and clients are public (auth method "none").
// Throws ApiError: UNSUPPORTED_GRANT_TYPE for another grant_type; 422 for a missing or
// invalid field, as /auth/login and /auth/refresh check them.
TokenRequest decode_token_request(const boost::json::object& form);

boost::json::value encode_oauth_token(const services::TokenPair& tokens,
                                      std::int64_t expires_in_seconds);

// RFC 8414 §2. `issuer` is the tokens' `iss` when JWT_ISSUER is set, else `public_url`.
boost::json::value encode_server_metadata(const std::string& issuer, const std::string& public_url);

}  // namespace gh::schemas
