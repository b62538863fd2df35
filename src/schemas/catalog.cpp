#include "schemas/catalog.hpp"

namespace gh::schemas {

const Catalog& catalog() {
  static const Catalog built = [] {
    Catalog c;
    describe_error_schemas(c);
    describe_auth_schemas(c);
    describe_email_schemas(c);
    describe_mfa_schemas(c);
    describe_oauth_schemas(c);
    describe_user_schemas(c);
    describe_session_schemas(c);
    describe_audit_schemas(c);
    describe_signing_key_schemas(c);
    describe_health_schemas(c);
    describe_docs_schemas(c);
    return c;
  }();
  return built;
}

boost::json::object query_parameter(std::string_view name, std::string_view description,
                                    boost::json::object schema) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"description", description},
          {"schema", std::move(schema)}};
}

}  // namespace gh::schemas
