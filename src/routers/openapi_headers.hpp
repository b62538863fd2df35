#pragma once
// The headers of the OpenAPI document: the ones many responses share (components/headers),
// the ones a route takes or answers with beside its body, and where each appears.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/route.hpp"

namespace gh::routers {

// components/headers: X-Request-ID, the rate limiter's RateLimit-*, ETag, Device-Token,
// Pragma.
boost::json::object shared_headers();

// What every answer the route gives without an error carries: its request id and, when a
// rate limit is configured, where the client stands (RateLimit-*; an error raised past the
// limiter has no such headers).
boost::json::object answer_headers();

// True when the route declares that it answers If-None-Match with 304 (Route::conditional_get:
// the docs routes, whose bodies are fixed for the life of the process, and the JWKS).
bool answers_conditional_get(const http::Route& route);

// The header parameters the route reads (If-None-Match, Device-Token); empty when none.
boost::json::array header_parameters(const http::Route& route);

// The headers of the route's success response besides answer_headers() (ETag,
// Device-Token, Pragma), as $refs into components/headers.
boost::json::object success_headers(const http::Route& route);

// A $ref to the Pragma header an OAuth route's answers carry (Route::error_body).
boost::json::object pragma_header();

// The 304 Not Modified response of a route that answers conditional GETs.
boost::json::object not_modified_response();

}  // namespace gh::routers
