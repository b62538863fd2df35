# Database module: the SQLite and PostgreSQL backends, migrations and repositories.
gh_unit_test(test_sqlite_database gh_db)
gh_unit_test(test_migrator gh_db)
gh_unit_test(test_point_read gh_db)
gh_unit_test(test_host_lookup gh_db)

# Tests that need PostgreSQL run in the PostgreSQL run only: they require the pg_cluster
# fixture (tests/pg_cluster.cmake) and fail, not skip, without its server.
set(GH_PG_UNIT_PROPERTIES LABELS postgres FIXTURES_REQUIRED pg_cluster
                          ENVIRONMENT GATEHOUSE_TEST_PG_STATE=${GH_PG_STATE})

# The repository tests run on both backends: Sqlite/... and Postgres/...
add_executable(test_repositories unit/test_repositories.cpp)
target_link_libraries(test_repositories PRIVATE gh_db GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_repositories TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_repositories TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

add_executable(test_postgres_database unit/test_postgres_database.cpp)
target_link_libraries(test_postgres_database PRIVATE gh_db GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_postgres_database DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

# The queries of the session list and its purge, on both backends like test_repositories.
add_executable(test_session_repository unit/test_session_repository.cpp)
target_link_libraries(test_session_repository PRIVATE gh_db GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_session_repository TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_session_repository TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

# Reading the audit log (filters, keyset pages) and its purge, on both backends.
add_executable(test_audit_repository unit/test_audit_repository.cpp)
target_link_libraries(test_audit_repository PRIVATE gh_app GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_audit_repository TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_audit_repository TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

# The signing keys' life, the ring and the access tokens it signs, on both backends.
add_executable(test_signing_keys unit/test_signing_keys.cpp)
target_link_libraries(test_signing_keys PRIVATE gh_app GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_signing_keys TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_signing_keys TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

# The mail outbox's lease, retries and purge, on both backends.
add_executable(test_mail_outbox unit/test_mail_outbox.cpp)
target_link_libraries(test_mail_outbox PRIVATE gh_app GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_mail_outbox TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_mail_outbox TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})

# The second factor's tables: time steps, recovery codes and challenges, on both backends.
add_executable(test_mfa_repository unit/test_mfa_repository.cpp)
target_link_libraries(test_mfa_repository PRIVATE gh_app GTest::gtest_main GTest::gmock)
gtest_discover_tests(test_mfa_repository TEST_FILTER "Sqlite/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES LABELS unit)
gtest_discover_tests(test_mfa_repository TEST_FILTER "Postgres/*" DISCOVERY_MODE PRE_TEST
                     PROPERTIES ${GH_PG_UNIT_PROPERTIES})
