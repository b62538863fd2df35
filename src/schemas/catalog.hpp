#pragma once
// The OpenAPI description of every schema, gathered from the files that decode and encode
// them: each schema file describes its own types next to its decoder, so the document
// and the validation are read from one place and cannot drift.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gh::schemas {

struct Catalog {
  // components/schemas, by the names routes use (Route::request_schema, response_schema).
  boost::json::object schemas;
  // Query parameters (OpenAPI Parameter objects) by parameter-set name (Route::query_schema).
  std::map<std::string, boost::json::array> query_parameters;
  // Path parameters by name, as they appear in route templates ("{id}").
  std::map<std::string, boost::json::object> path_parameters;
  // Bodies that are not application/json: media types by schema name (several when the
  // route serves several kinds, as the docs assets do).
  std::map<std::string, std::vector<std::string>> media_types;
  // Response headers a success body carries, by schema name (e.g. X-Total-Count).
  std::map<std::string, boost::json::object> response_headers;
  // Error statuses whose body is this schema rather than the error envelope, with their
  // description, by schema name (a failed health probe answers 503 with its own body).
  std::map<std::string, std::map<int, std::string>> own_error_bodies;
};

// An optional query parameter (an OpenAPI Parameter object) whose value `schema` describes.
boost::json::object query_parameter(std::string_view name, std::string_view description,
                                    boost::json::object schema);

// Each schema file adds its own descriptions.
void describe_error_schemas(Catalog& c);        // schemas/error.cpp
void describe_auth_schemas(Catalog& c);         // schemas/auth.cpp
void describe_email_schemas(Catalog& c);        // schemas/email.cpp
void describe_mfa_schemas(Catalog& c);          // schemas/mfa.cpp
void describe_oauth_schemas(Catalog& c);        // schemas/oauth.cpp
void describe_user_schemas(Catalog& c);         // schemas/user.cpp
void describe_session_schemas(Catalog& c);      // schemas/session.cpp
void describe_audit_schemas(Catalog& c);        // schemas/audit.cpp
void describe_signing_key_schemas(Catalog& c);  // schemas/signing_key.cpp
void describe_health_schemas(Catalog& c);       // schemas/health.cpp
void describe_docs_schemas(Catalog& c);         // schemas/docs.cpp

// Every description above, built once.
const Catalog& catalog();

}  // namespace gh::schemas
