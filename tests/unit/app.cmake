# Unit tests for gh_app: request schemas (decoding and validation).
gh_unit_test(test_schemas gh_app)
gh_unit_test(test_user_json gh_app)
