# Black-box integration tests (Python 3 + pytest, standard library only) against the
# built gatehouse binary. One CTest test per test_*.py file, so `ctest -j` runs them in
# parallel; each file starts its own servers on free ports in temporary directories.
# The whole suite runs twice: integration.* on SQLite, integration_pg.* on PostgreSQL (a
# fresh database per server in the pg_cluster fixture's cluster). test_pg_*.py files are
# about PostgreSQL alone and run only in the second.
#   ctest -L integration --output-on-failure        (from the build directory)
#   GATEHOUSE_BIN=build/gatehouse python3 -m pytest -q tests/integration   (by hand)
find_program(GH_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT GH_PYTHON3)
  find_program(GH_PYTHON3 NAMES python3 REQUIRED)
endif()

file(GLOB GH_IT_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
foreach(f ${GH_IT_FILES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME integration_pg.${n}
           COMMAND ${GH_PYTHON3} -m pytest -q -p no:cacheprovider -rfE ${f}
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(integration_pg.${n} PROPERTIES
                       ENVIRONMENT "GATEHOUSE_BIN=$<TARGET_FILE:gatehouse>;PYTHONDONTWRITEBYTECODE=1;GATEHOUSE_TEST_DATABASE=postgres;GATEHOUSE_TEST_PG_STATE=${GH_PG_STATE}"
                       FIXTURES_REQUIRED pg_cluster
                       LABELS "integration;postgres"
                       TIMEOUT 300)
  if(n MATCHES "^test_pg_")
    continue()
  endif()
  add_test(NAME integration.${n}
           COMMAND ${GH_PYTHON3} -m pytest -q -p no:cacheprovider -rfE ${f}
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(integration.${n} PROPERTIES
                       ENVIRONMENT "GATEHOUSE_BIN=$<TARGET_FILE:gatehouse>;PYTHONDONTWRITEBYTECODE=1"
                       LABELS integration
                       TIMEOUT 300)
endforeach()

# The verifier test runs third-party verifiers: jose from npm, pinned in tests/verifiers and
# installed into the build directory first (a CTest fixture, as for the browser tests).
set(GH_VERIFIER_TOOLS ${CMAKE_BINARY_DIR}/verifier-tools)
add_test(NAME integration.verifiers_npm_ci
         COMMAND ${CMAKE_SOURCE_DIR}/tools/npm-ci ${CMAKE_SOURCE_DIR}/tests/verifiers
                 ${GH_VERIFIER_TOOLS})
set_tests_properties(integration.verifiers_npm_ci PROPERTIES FIXTURES_SETUP verifier_tools
                                                             LABELS integration TIMEOUT 300)
foreach(t integration.test_jwks_verifiers integration_pg.test_jwks_verifiers)
  set_property(TEST ${t} APPEND PROPERTY FIXTURES_REQUIRED verifier_tools)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
                                         "GH_VERIFIER_MODULES=${GH_VERIFIER_TOOLS}/node_modules")
endforeach()
