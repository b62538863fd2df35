# Unit tests for gh_app: request schemas (decoding and validation).
gh_unit_test(test_schemas gh_app)
gh_unit_test(test_audit_schemas gh_app)
# The OpenAPI document against the real router table.
gh_unit_test(test_openapi_document gh_app)
gh_unit_test(test_user_json gh_app)
gh_unit_test(test_token_service gh_app)
gh_unit_test(test_device_tokens gh_app)
gh_unit_test(test_login_attempts gh_app)
# Every route's declared access, enforced: a walk over the real application's table.
gh_unit_test(test_route_access gh_app)
# The error catalog, the envelope's headers, and the README's table of codes.
gh_unit_test(test_error_catalog gh_app)
target_compile_definitions(test_error_catalog PRIVATE GH_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
# The domain in two tiers: each service in process on SQLite in memory with a manual clock
# (tests/unit/service_fixture.hpp), then the /auth and /users handlers through the pipeline.
gh_unit_test(test_auth_service gh_app)
gh_unit_test(test_user_service gh_app)
gh_unit_test(test_handlers gh_app)
# Sessions a person can see and end, and the purge of ended ones.
gh_unit_test(test_session_service gh_app)
gh_unit_test(test_session_purge gh_app)
gh_unit_test(test_audit_log gh_app)
# The outbox worker's round: who gets a mail, the token behind its link, retries.
gh_unit_test(test_mail_delivery gh_app)
# The email flows in process: links spent once, expiry, invitations, limits, no mail server.
gh_unit_test(test_email_flows gh_app)
# The QR code of a TOTP enrolment, as SVG.
gh_unit_test(test_qr_svg gh_app)
