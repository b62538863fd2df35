#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "http/route.hpp"
#include "services/auth_service.hpp"

namespace gh::routers {

struct OAuthServer {
  std::string issuer;      // JWT_ISSUER, else public_url
  std::string public_url;  // PUBLIC_URL: the base of the endpoints the metadata names
  std::int64_t access_seconds = 0;
};

// POST /auth/token (RFC 6749 password and refresh_token grants, errors as §5.2 says) and
// GET /.well-known/oauth-authorization-server (RFC 8414).
std::vector<http::Route> oauth_routes(services::AuthService& auth, const OAuthServer& server);

}  // namespace gh::routers
