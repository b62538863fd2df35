// The one error envelope, as the OpenAPI document describes it (http/error_envelope.cpp
// writes it; core/api_error.hpp is the type that travels up).
#include <boost/json/parse.hpp>

#include "schemas/catalog.hpp"

namespace gh::schemas {

void describe_error_schemas(Catalog& c) {
  c.schemas["Error"] = boost::json::parse(R"json({
    "type": "object",
    "description": "Every error, whoever raises it, has this shape. `fields` is present on 422 only, `mfa_token` on MFA_REQUIRED only.",
    "required": ["error"],
    "properties": {
      "error": {
        "type": "object",
        "required": ["code", "detail"],
        "properties": {
          "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$",
                   "description": "Stable, UPPER_SNAKE; for programs", "examples": ["EMAIL_TAKEN"]},
          "detail": {"type": "string", "description": "For people",
                     "examples": ["Email already registered"]},
          "mfa_token": {"type": "string",
                        "description": "MFA_REQUIRED only: send it to POST /auth/mfa/verify with a code (5 minutes, 5 codes)"},
          "fields": {
            "type": "array",
            "description": "What was wrong with which input (422 only)",
            "items": {
              "type": "object",
              "required": ["loc", "msg"],
              "properties": {
                "loc": {"type": "array", "items": {"type": "string"},
                        "examples": [["body", "email"]]},
                "msg": {"type": "string", "examples": ["Not a valid email address"]}
              }
            }
          }
        }
      }
    }
  })json")
                           .as_object();
}

}  // namespace gh::schemas
