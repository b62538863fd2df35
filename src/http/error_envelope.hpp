#pragma once
// The only place an error becomes a response: {"error": {"code", "detail"[, "fields"]}}.
#include "core/api_error.hpp"
#include "http/request.hpp"

namespace gh::http {

Response error_response(const ApiError& error);

// For failures we did not expect: a 500 that says nothing about the inside.
Response internal_error_response();

}  // namespace gh::http
