#pragma once
// Errors as OAuth 2.0 clients read them (RFC 6749 §5.2): {"error", "error_description"},
// the one documented exception to the envelope (Route::error_body).
#include <string_view>

#include "core/api_error.hpp"
#include "http/request.hpp"

namespace gh::http {

// The RFC 6749 `error` value an ApiError is written as: a rejected credential or token is
// invalid_grant, a malformed request invalid_request, a throttle or an outage
// temporarily_unavailable, anything unexpected server_error.
std::string_view oauth_error_name(const ApiError& error);

// The status an error of `status` is answered with: 400 for every client error (RFC 6749
// §5.2); 429 and 5xx keep theirs, and so does 403, which a token request answers only as
// mfa_required (Auth0's extension, and the status its clients expect).
int oauth_status(int status);

// At oauth_status, with Retry-After on a 429 or 503. Never stored by a cache (RFC 6749 §5.1).
Response oauth_error_response(const ApiError& error);

// The body the request's route declares for its errors: the envelope, or the OAuth form.
Response route_error_response(const Request& req, const ApiError& error);

}  // namespace gh::http
