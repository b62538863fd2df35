# Unit tests for gh_app: request schemas (decoding and validation).
gh_unit_test(test_schemas gh_app)
# The OpenAPI document against the real router table.
gh_unit_test(test_openapi_document gh_app)
target_compile_options(test_openapi_document PRIVATE -Wno-missing-field-initializers)
gh_unit_test(test_user_json gh_app)
gh_unit_test(test_token_service gh_app)
gh_unit_test(test_device_tokens gh_app)
gh_unit_test(test_login_attempts gh_app)
# Every route's declared access, enforced: a walk over the real application's table.
gh_unit_test(test_route_access gh_app)
