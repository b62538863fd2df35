# Unit tests for gh_http: routing and the request model.
gh_unit_test(test_router gh_http)
