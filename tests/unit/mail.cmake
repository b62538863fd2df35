# Unit tests for gh_mail: the MIME message, and delivery to a real SMTP server (aiosmtpd,
# tests/smtp/smtp_server.py) started by the test.
gh_unit_test(test_smtp_sender gh_mail)
target_compile_definitions(test_smtp_sender PRIVATE GH_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
gh_unit_test(test_mail_templates gh_mail)
