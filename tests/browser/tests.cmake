# Tests that need npm tools: the OpenAPI linter, the /docs browser test and the mail
# rendering test (Debian's chromium driven by playwright-core). tools/npm-ci installs the pinned
# tests/browser/package-lock.json into the build directory first, as a CTest fixture.
set(GH_BROWSER_TOOLS ${CMAKE_BINARY_DIR}/browser-tools)
add_test(NAME browser.npm_ci
         COMMAND ${CMAKE_SOURCE_DIR}/tools/npm-ci ${CMAKE_CURRENT_LIST_DIR} ${GH_BROWSER_TOOLS})
set_tests_properties(browser.npm_ci PROPERTIES FIXTURES_SETUP browser_tools LABELS browser
                                               TIMEOUT 300)

foreach(name test_openapi_lint test_docs_page test_mail_page test_mfa_page
             test_console_page)
  add_test(NAME browser.${name}
           COMMAND ${GH_PYTHON3} -m pytest -q -p no:cacheprovider -rfE
                   ${CMAKE_CURRENT_LIST_DIR}/${name}.py
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(browser.${name} PROPERTIES
                       ENVIRONMENT "GATEHOUSE_BIN=$<TARGET_FILE:gatehouse>;PYTHONDONTWRITEBYTECODE=1;GH_NODE_MODULES=${GH_BROWSER_TOOLS}/node_modules;GH_BROWSER_OUT=${CMAKE_BINARY_DIR}/test-output/browser"
                       FIXTURES_REQUIRED browser_tools
                       LABELS browser
                       TIMEOUT 300)
endforeach()
