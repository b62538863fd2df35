# The contract test: the integration suite run through Stoplight Prism's validating proxy,
# which checks every request and response against the OpenAPI document the server serves.
# tools/npm-ci installs the pinned tests/contract/package-lock.json into the build
# directory first, as a CTest fixture. @stoplight/prism-cli is pinned at 5.14.2, the last
# release that runs on the Node 18 and 20 that Debian and NodeSource give (5.15 and later
# need Node 24); package.json's overrides keep its prism-core and prism-http-server on the
# same release line, which a caret range would otherwise resolve to Node 24 builds.
#   ctest -L contract --output-on-failure        (from the build directory)
set(GH_CONTRACT_TOOLS ${CMAKE_BINARY_DIR}/contract-tools)
add_test(NAME contract.npm_ci
         COMMAND ${CMAKE_SOURCE_DIR}/tools/npm-ci ${CMAKE_CURRENT_LIST_DIR} ${GH_CONTRACT_TOOLS})
set_tests_properties(contract.npm_ci PROPERTIES FIXTURES_SETUP contract_tools LABELS contract
                                                TIMEOUT 300)

set(GH_CONTRACT_ENV
    "GATEHOUSE_BIN=$<TARGET_FILE:gatehouse>;PYTHONDONTWRITEBYTECODE=1;GH_NODE_MODULES=${GH_CONTRACT_TOOLS}/node_modules")

# The harness itself: a document made wrong on purpose is caught, the true one is not.
add_test(NAME contract.test_harness
         COMMAND ${GH_PYTHON3} -m pytest -q -p no:cacheprovider -rfE
                 ${CMAKE_CURRENT_LIST_DIR}/test_harness.py
         WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
set_tests_properties(contract.test_harness PROPERTIES ENVIRONMENT "${GH_CONTRACT_ENV}"
                     FIXTURES_REQUIRED contract_tools LABELS contract TIMEOUT 300)

add_test(NAME contract.integration_through_prism
         COMMAND ${GH_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/run_through_prism.py
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests/integration)
set_tests_properties(contract.integration_through_prism PROPERTIES
                     ENVIRONMENT "${GH_CONTRACT_ENV}"
                     FIXTURES_REQUIRED contract_tools LABELS contract TIMEOUT 300)
