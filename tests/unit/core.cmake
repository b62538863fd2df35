# Unit tests for gh_core: encodings, ids, time, JWT and password hashing.
gh_unit_test(test_base64url gh_core)
gh_unit_test(test_uuid gh_core)
gh_unit_test(test_time_format gh_core)
gh_unit_test(test_jwt gh_core)
gh_unit_test(test_password_hasher gh_core)
gh_unit_test(test_request_metrics gh_core)
gh_unit_test(test_window_limiter gh_core)
gh_unit_test(test_bcrypt_verify gh_core)
