# Unit tests for gh_core: encodings, ids, time, JWT and password hashing.
gh_unit_test(test_base64url gh_core)
gh_unit_test(test_uuid gh_core)
gh_unit_test(test_time_format gh_core)
gh_unit_test(test_jwt gh_core)
# Ed25519 and ES256 with the RFCs' vectors; the sealing of private keys at rest.
gh_unit_test(test_signature gh_core)
gh_unit_test(test_key_sealer gh_core)
# RFC 6238 TOTP with the RFC's vectors, base32, the window and replay.
gh_unit_test(test_totp gh_core)
gh_unit_test(test_password_hasher gh_core)
gh_unit_test(test_hash_arena gh_core)
gh_unit_test(test_io_load gh_core)
gh_unit_test(test_request_metrics gh_core)
gh_unit_test(test_window_limiter gh_core)
gh_unit_test(test_bcrypt_verify gh_core)
gh_unit_test(test_log gh_core)
gh_unit_test(test_utf8_prefix gh_core)
