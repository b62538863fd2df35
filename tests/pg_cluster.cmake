# The throw-away PostgreSQL cluster of the postgres test run, as a CTest fixture: CTest
# starts it before the first test that requires `pg_cluster` and stops it (and deletes
# it) after the last, whatever the results. Those tests find it through the state file.
set(GH_PG_STATE ${CMAKE_BINARY_DIR}/pg-test-cluster.env)
add_test(NAME pg_cluster.start COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-cluster start ${GH_PG_STATE})
add_test(NAME pg_cluster.stop COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-cluster stop ${GH_PG_STATE})
set_tests_properties(pg_cluster.start PROPERTIES FIXTURES_SETUP pg_cluster LABELS postgres TIMEOUT 120)
set_tests_properties(pg_cluster.stop PROPERTIES FIXTURES_CLEANUP pg_cluster LABELS postgres TIMEOUT 120)
