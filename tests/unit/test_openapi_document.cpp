// The OpenAPI document covers the router's real table: every route, with its parameters,
// body, success and error responses and security; and the generator refuses a route it
// cannot describe, so a new route cannot ship undocumented.
#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "app.hpp"
#include "http/oauth_error.hpp"
#include "models/audit_event.hpp"
#include "routers/console_assets.hpp"
#include "routers/docs_assets.hpp"
#include "routers/openapi_document.hpp"
#include "routers/openapi_headers.hpp"
#include "schemas/catalog.hpp"

namespace {

using namespace gh;
namespace json = boost::json;

std::string lower_method(const http::Route& r) {
  std::string m(http::bhttp::to_string(r.method));
  for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m;
}

class OpenApiDocument : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    routes_ = new std::vector<http::Route>(App::route_table());
    doc_ = new json::object(routers::openapi_document(*routes_, schemas::catalog(), "test"));
  }
  static void TearDownTestSuite() {
    delete routes_;
    delete doc_;
  }
  static const json::object& operation(const http::Route& r) {
    return doc_->at("paths").at(routers::document_path(r.path)).at(lower_method(r)).as_object();
  }
  static std::vector<http::Route>* routes_;
  static json::object* doc_;
};
std::vector<http::Route>* OpenApiDocument::routes_ = nullptr;
json::object* OpenApiDocument::doc_ = nullptr;

// Every "$ref" in `v`, recursively.
void collect_refs(const json::value& v, std::vector<std::string>& out) {
  if (auto* o = v.if_object()) {
    for (const auto& [k, child] : *o) {
      if (k == "$ref" && child.is_string()) out.emplace_back(child.as_string());
      collect_refs(child, out);
    }
  } else if (auto* a = v.if_array()) {
    for (const auto& child : *a) collect_refs(child, out);
  }
}

const json::value* resolve(const json::object& doc, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  const json::value* at = nullptr;
  const json::object* scope = &doc;
  std::size_t pos = 2;
  while (pos <= ref.size()) {
    auto next = ref.find('/', pos);
    if (next == std::string::npos) next = ref.size();
    if (!scope) return nullptr;
    auto it = scope->find(ref.substr(pos, next - pos));
    if (it == scope->end()) return nullptr;
    at = &it->value();
    scope = at->if_object();
    pos = next + 1;
  }
  return at;
}

TEST_F(OpenApiDocument, IsOpenApi31) {
  EXPECT_EQ(doc_->at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(doc_->at("components").at("securitySchemes").as_object().contains("bearerAuth"));
}

TEST_F(OpenApiDocument, TheTableHasTheContractRoutes) {
  std::set<std::string> seen;
  for (const auto& r : *routes_) seen.insert(lower_method(r) + " " + r.path);
  for (const char* want :
       {"post /auth/register", "post /auth/login", "post /auth/refresh", "post /auth/logout",
        "post /auth/logout-all", "post /auth/password", "get /users/me", "get /users/stats",
        "get /users/", "get /users/{id}", "patch /users/{id}", "delete /users/{id}", "get /health",
        "get /health/live", "get /health/ready", "get /openapi.json", "get /docs", "get /redoc",
        "get /metrics"}) {
    EXPECT_TRUE(seen.contains(want)) << want;
  }
  // Part two: sessions a person can see and end.
  for (const char* want :
       {"get /users/me/sessions", "delete /users/me/sessions/{sid}", "get /users/{id}/sessions",
        "delete /users/{id}/sessions", "delete /users/{id}/sessions/{sid}"}) {
    EXPECT_TRUE(seen.contains(want)) << want;
  }
  // Part two: the audit log.
  for (const char* want : {"get /admin/audit-events", "get /users/me/audit-events"})
    EXPECT_TRUE(seen.contains(want)) << want;
}

TEST_F(OpenApiDocument, TheAuditLogDocumentsItsFiltersAndTheTypeCatalog) {
  const auto& list = doc_->at("paths").at("/admin/audit-events").at("get").as_object();
  auto query_names = [](const json::object& op) {
    std::vector<std::string> names;
    for (const auto& p : op.at("parameters").as_array())
      if (p.at("in") == "query") names.emplace_back(p.at("name").as_string());
    return names;
  };
  EXPECT_EQ(query_names(list),
            (std::vector<std::string>{"type", "outcome", "user_id", "actor_id", "ip", "since",
                                      "until", "limit", "cursor"}));
  const auto& own = doc_->at("paths").at("/users/me/audit-events").at("get").as_object();
  EXPECT_EQ(query_names(own), (std::vector<std::string>{"limit", "cursor"}));
  const auto& type = doc_->at("components")
                         .at("schemas")
                         .at("AuditEvent")
                         .at("properties")
                         .at("type")
                         .at("enum")
                         .as_array();
  ASSERT_EQ(type.size(), models::kAuditTypeCount);
  for (std::size_t i = 0; i < type.size(); ++i)
    EXPECT_EQ(type[i].as_string(), models::kAuditTypeNames[i]);
}

TEST_F(OpenApiDocument, EveryRouteIsDocumented) {
  std::size_t operations = 0;
  for (const auto& [path, item] : doc_->at("paths").as_object())
    operations += item.as_object().size();
  // A route declared with a trailing slash is documented under both spellings it answers.
  const auto slashed = std::count_if(routes_->begin(), routes_->end(), [](const http::Route& r) {
    return r.path.size() > 1 && r.path.back() == '/';
  });
  EXPECT_EQ(operations, routes_->size() + static_cast<std::size_t>(slashed))
      << "one operation per route and spelling, no more, no less";

  std::set<std::string> ids;
  for (const auto& r : *routes_) {
    SCOPED_TRACE(lower_method(r) + " " + r.path);
    const auto& op = operation(r);
    EXPECT_TRUE(ids.insert(std::string(op.at("operationId").as_string())).second) << "unique id";
    EXPECT_EQ(op.at("summary").as_string(), r.summary);
    ASSERT_EQ(op.at("tags").as_array().size(), 1u);
    EXPECT_EQ(op.at("tags").as_array()[0].as_string(), http::tag_name(r.tag));

    const auto& responses = op.at("responses").as_object();
    EXPECT_TRUE(responses.contains(std::to_string(r.success_status)));
    const bool oauth = r.error_body == http::ErrorBody::oauth;
    for (ErrorCode e : r.errors) {
      const int status = error_spec(e).status;
      EXPECT_TRUE(responses.contains(std::to_string(oauth ? http::oauth_status(status) : status)))
          << error_spec(e).code;
    }
    for (int status : routers::error_statuses(r))
      EXPECT_TRUE(responses.contains(std::to_string(status))) << status;
    const std::size_t not_modified = routers::answers_conditional_get(r) ? 1 : 0;
    EXPECT_EQ(responses.size(), 1 + not_modified + routers::error_statuses(r).size());

    bool has_body = op.contains("requestBody");
    EXPECT_EQ(has_body, !r.request_schema.empty());

    const auto& security = op.at("security").as_array();
    if (r.access == http::Access::anyone) {
      EXPECT_TRUE(security.empty());
    } else {
      ASSERT_EQ(security.size(), 2u);
      EXPECT_TRUE(security[0].as_object().contains("OAuth2PasswordBearer"));
      EXPECT_TRUE(security[1].as_object().contains("bearerAuth"));
      EXPECT_TRUE(responses.contains("401"));
    }
    if (r.access == http::Access::admin) EXPECT_TRUE(responses.contains("403"));

    std::set<std::string> params;
    if (auto* list = op.if_contains("parameters"))
      for (const auto& p : list->as_array())
        params.insert(std::string(p.at("in").as_string()) + ":" +
                      std::string(p.at("name").as_string()));
    for (std::size_t open = r.path.find('{'); open != std::string::npos;
         open = r.path.find('{', open + 1))
      EXPECT_TRUE(
          params.contains("path:" + r.path.substr(open + 1, r.path.find('}', open) - open - 1)));
    if (!r.query_schema.empty()) EXPECT_FALSE(params.empty());
  }
}

TEST_F(OpenApiDocument, ErrorsUseTheOneEnvelope) {
  const auto& responses = doc_->at("components").at("responses").as_object();
  ASSERT_FALSE(responses.empty());
  for (const auto& [name, res] : responses) {
    SCOPED_TRACE(std::string(name));
    const auto& media = res.at("content").at("application/json");
    const auto& error = media.at("schema").at("properties").at("error");
    EXPECT_EQ(error.at("allOf").as_array()[0].at("$ref").as_string(),
              "#/components/schemas/Error/properties/error");
    const auto& examples = media.at("examples").as_object();
    ASSERT_FALSE(examples.empty());
    for (const auto& [key, example] : examples)
      EXPECT_EQ(example.at("value").at("error").at("code").as_string(),
                key.substr(0, example.at("value").at("error").at("code").as_string().size()));
  }
  const auto& validation = responses.at("ValidationError").at("content").at("application/json");
  for (const auto& [key, example] : validation.at("examples").as_object())
    EXPECT_TRUE(example.at("value").at("error").as_object().contains("fields")) << key;
  const auto& conflicts =
      responses.at("Conflict").at("content").at("application/json").at("examples");
  EXPECT_TRUE(conflicts.as_object().contains("EMAIL_TAKEN"));
  EXPECT_TRUE(conflicts.as_object().contains("LAST_ADMIN"));
}

TEST_F(OpenApiDocument, EveryReferenceResolves) {
  std::vector<std::string> refs;
  collect_refs(*doc_, refs);
  ASSERT_FALSE(refs.empty());
  for (const auto& ref : refs) EXPECT_NE(resolve(*doc_, ref), nullptr) << ref;
}

TEST_F(OpenApiDocument, ListPathHasNoTrailingSlashAndItsQueryBounds) {
  const auto& op = doc_->at("paths").at("/users").at("get").as_object();
  const auto& limit = op.at("parameters").as_array()[1].as_object();
  EXPECT_EQ(limit.at("name").as_string(), "limit");
  EXPECT_EQ(limit.at("schema").at("maximum").as_int64(), 100);
}

// The set of strings in a JSON array.
std::set<std::string> strings(const json::value& list) {
  std::set<std::string> out;
  for (const auto& v : list.as_array()) out.emplace(v.as_string());
  return out;
}

// The `code` values an error response allows.
std::set<std::string> allowed_codes(const json::object& doc, const std::string& response) {
  const auto& schema = doc.at("components")
                           .at("responses")
                           .at(response)
                           .at("content")
                           .at("application/json")
                           .at("schema");
  return strings(schema.at("properties").at("error").at("properties").at("code").at("enum"));
}

TEST_F(OpenApiDocument, AnErrorCodeIsOneOfThoseItsStatusCarries) {
  for (const auto& [name, res] : doc_->at("components").at("responses").as_object()) {
    SCOPED_TRACE(std::string(name));
    auto codes = allowed_codes(*doc_, std::string(name));
    ASSERT_FALSE(codes.empty());
    std::set<std::string> shown;
    for (const auto& [key, example] :
         res.at("content").at("application/json").at("examples").as_object())
      shown.emplace(example.at("value").at("error").at("code").as_string());
    EXPECT_EQ(codes, shown) << "every code the status carries has an example, and no other";
  }
  EXPECT_EQ(allowed_codes(*doc_, "Conflict"),
            (std::set<std::string>{"EMAIL_TAKEN", "LAST_ADMIN", "KEY_NOT_PROPAGATED",
                                   "KEY_STILL_IN_USE", "ACTIVE_KEY", "KEY_REVOKED",
                                   "KEY_NOT_REVOKED", "MFA_ALREADY_ENABLED"}));
  EXPECT_EQ(allowed_codes(*doc_, "Unauthorized"),
            (std::set<std::string>{"NOT_AUTHENTICATED", "INVALID_TOKEN", "INVALID_CREDENTIALS",
                                   "INVALID_CODE"}));
  EXPECT_EQ(allowed_codes(*doc_, "TooManyRequests"),
            (std::set<std::string>{"RATE_LIMITED", "TOO_MANY_LOGIN_ATTEMPTS"}));
  // The shared envelope still takes any UPPER_SNAKE code: the narrowing is per status.
  EXPECT_FALSE(doc_->at("components")
                   .at("schemas")
                   .at("Error")
                   .at("properties")
                   .at("error")
                   .at("properties")
                   .at("code")
                   .as_object()
                   .contains("enum"));
}

TEST_F(OpenApiDocument, AnyRequestCanBeRefusedForSizeRateOrOutage) {
  for (const auto& r : *routes_) {
    SCOPED_TRACE(lower_method(r) + " " + r.path);
    const auto& responses = operation(r).at("responses").as_object();
    for (const char* status : {"413", "429", "500", "503"})
      EXPECT_TRUE(responses.contains(status)) << status;
  }
}

TEST_F(OpenApiDocument, EveryAnswerDeclaresItsRequestIdAndRateLimitHeaders) {
  for (const auto& r : *routes_) {
    SCOPED_TRACE(lower_method(r) + " " + r.path);
    const auto& ok = operation(r).at("responses").at(std::to_string(r.success_status));
    for (const char* header :
         {"X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"})
      EXPECT_TRUE(ok.at("headers").as_object().contains(header)) << header;
  }
  const auto& refused = doc_->at("components").at("responses").at("TooManyRequests");
  for (const char* header : {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining"})
    EXPECT_TRUE(refused.at("headers").as_object().contains(header)) << header;
  const auto& limit = doc_->at("components").at("headers").at("RateLimit-Limit");
  EXPECT_EQ(limit.at("schema").at("type").as_string(), "integer");
}

// The names of the operation's header parameters.
std::set<std::string> header_parameters(const json::object& op) {
  std::set<std::string> out;
  if (auto* list = op.if_contains("parameters"))
    for (const auto& p : list->as_array())
      if (p.at("in").as_string() == "header") out.emplace(p.at("name").as_string());
  return out;
}

TEST_F(OpenApiDocument, RoutesThatDeclareConditionalGetsDocumentThem) {
  std::size_t conditional = 0;
  for (const auto& r : *routes_) {
    SCOPED_TRACE(lower_method(r) + " " + r.path);
    const auto& op = operation(r);
    const auto& responses = op.at("responses").as_object();
    if (!r.conditional_get) {
      EXPECT_FALSE(responses.contains("304"));
      continue;
    }
    ++conditional;
    EXPECT_TRUE(header_parameters(op).contains("If-None-Match"));
    EXPECT_TRUE(responses.at("200").at("headers").as_object().contains("ETag"));
    const auto& not_modified = responses.at("304").as_object();
    EXPECT_TRUE(not_modified.at("headers").as_object().contains("ETag"));
    EXPECT_FALSE(not_modified.contains("content")) << "a 304 has no body";
  }
  EXPECT_EQ(conditional, 7u) << "/openapi.json, /docs, /redoc, /docs/assets/{file}, "
                                "/.well-known/jwks.json, /admin, /admin/assets/{file}";
}

TEST_F(OpenApiDocument, AssetsDeclareTheMediaTypesServed) {
  for (const auto& [path, assets] :
       {std::pair{"/docs/assets/{file}", &routers::docs_assets()},
        std::pair{"/admin/assets/{file}", &routers::console_assets()}}) {
    const auto& content =
        doc_->at("paths").at(path).at("get").at("responses").at("200").at("content").as_object();
    EXPECT_FALSE(content.contains("application/octet-stream"));
    ASSERT_FALSE(assets->empty());
    for (const auto& asset : *assets) {
      auto type = std::string(asset.content_type.substr(0, asset.content_type.find(';')));
      EXPECT_TRUE(content.contains(type)) << asset.name << " is served as " << asset.content_type;
    }
  }
}

TEST_F(OpenApiDocument, LoginTakesAndGivesADeviceToken) {
  const auto& login = doc_->at("paths").at("/auth/login").at("post").as_object();
  EXPECT_TRUE(header_parameters(login).contains("Device-Token"));
  EXPECT_TRUE(login.at("responses").at("200").at("headers").as_object().contains("Device-Token"));
  const auto& reg = doc_->at("paths").at("/auth/register").at("post").as_object();
  EXPECT_FALSE(header_parameters(reg).contains("Device-Token"));
  EXPECT_FALSE(reg.at("responses").at("201").at("headers").as_object().contains("Device-Token"));
}

TEST_F(OpenApiDocument, AProbeAnswers503WithItsOwnBodyOrTheEnvelope) {
  // The probe's own "unhealthy" body, or the rate limiter's envelope when its Redis is down.
  const auto& unhealthy = doc_->at("paths").at("/health").at("get").at("responses").at("503");
  const auto& one_of =
      unhealthy.at("content").at("application/json").at("schema").at("oneOf").as_array();
  ASSERT_EQ(one_of.size(), 2u);
  EXPECT_EQ(one_of[0].at("$ref").as_string(), "#/components/schemas/HealthStatus");
  EXPECT_EQ(one_of[1].at("$ref").as_string(), "#/components/schemas/Error");
  EXPECT_TRUE(unhealthy.at("headers").as_object().contains("X-Request-ID"));
}

// Swagger UI's "Authorize" signs in through the password flow's tokenUrl: that URL is a
// route of the table, its body is a form, and its errors are OAuth's, not the envelope.
TEST_F(OpenApiDocument, ThePasswordFlowsTokenUrlIsTheOAuthTokenRoute) {
  const auto& scheme = doc_->at("components").at("securitySchemes").at("OAuth2PasswordBearer");
  EXPECT_EQ(scheme.at("type").as_string(), "oauth2");
  const std::string token_url(scheme.at("flows").at("password").at("tokenUrl").as_string());
  const auto route = std::find_if(routes_->begin(), routes_->end(), [&](const http::Route& r) {
    return r.method == http::bhttp::verb::post && r.path == token_url;
  });
  ASSERT_NE(route, routes_->end()) << token_url;
  EXPECT_EQ(route->error_body, http::ErrorBody::oauth);
  const auto& op = operation(*route);
  EXPECT_TRUE(
      op.at("requestBody").at("content").as_object().contains("application/x-www-form-urlencoded"));
  const auto& responses = op.at("responses").as_object();
  EXPECT_FALSE(responses.contains("401"));
  EXPECT_FALSE(responses.contains("422"));
  for (const char* status : {"400", "429", "500", "503"}) {
    const auto& one_of = responses.at(status)
                             .at("content")
                             .at("application/json")
                             .at("schema")
                             .at("oneOf")
                             .as_array();
    EXPECT_EQ(one_of[0].at("$ref").as_string(), "#/components/schemas/OAuthError") << status;
  }
  EXPECT_TRUE(responses.at("429").at("headers").as_object().contains("Retry-After"));
  EXPECT_TRUE(responses.at("413").as_object().contains("$ref"));  // before routing: envelope
}

http::Route bare(std::string path) {
  http::Route r;
  r.path = std::move(path);
  r.tag = http::Tag::users;
  r.summary = "A route";
  return r;
}

TEST(OpenApiGenerator, RefusesAnUndescribedSchema) {
  auto r = bare("/things");
  r.response_schema = "NoSuchSchema";
  EXPECT_THROW(routers::openapi_document({r}, schemas::catalog(), "t"), routers::UndocumentedRoute);
}

TEST(OpenApiGenerator, RefusesAnUndescribedPathParameter) {
  EXPECT_THROW(routers::openapi_document({bare("/things/{thing}")}, schemas::catalog(), "t"),
               routers::UndocumentedRoute);
}

TEST(OpenApiGenerator, RefusesAnUnknownQuerySetOrMissingSummary) {
  auto q = bare("/things");
  q.query_schema = "NoSuchParameters";
  EXPECT_THROW(routers::openapi_document({q}, schemas::catalog(), "t"), routers::UndocumentedRoute);
  auto s = bare("/things");
  s.summary.clear();
  EXPECT_THROW(routers::openapi_document({s}, schemas::catalog(), "t"), routers::UndocumentedRoute);
}

TEST(OpenApiGenerator, RefusesAnUndescribedErrorStatus) {
  auto r = bare("/things");
  r.errors = {ErrorCode::headers_too_large};  // a 431 is the reader's, never a handler's
  EXPECT_THROW(routers::openapi_document({r}, schemas::catalog(), "t"), routers::UndocumentedRoute);
}

TEST(OpenApiGenerator, OperationIdsFollowMethodAndPath) {
  auto r = bare("/users/{id}");
  r.method = http::bhttp::verb::patch;
  EXPECT_EQ(routers::operation_id(r), "patch_users_id");
  EXPECT_EQ(routers::operation_id(bare("/auth/logout-all")), "get_auth_logout_all");
}

}  // namespace
