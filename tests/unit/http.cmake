# Unit tests for gh_http: routing and the request model.
gh_unit_test(test_router gh_http)
gh_unit_test(test_response_bytes gh_http)
gh_unit_test(test_field_allocator gh_http)
gh_unit_test(test_incoming gh_http)
gh_unit_test(test_address_slots gh_http)
