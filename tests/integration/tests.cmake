# Black-box integration tests (Python 3 + pytest, standard library only) against the
# built gatehouse binary. One CTest test per test_*.py file, so `ctest -j` runs them in
# parallel; each file starts its own servers on free ports in temporary directories.
#   ctest -L integration --output-on-failure        (from the build directory)
#   GATEHOUSE_BIN=build/gatehouse python3 -m pytest -q tests/integration   (by hand)
find_program(GH_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT GH_PYTHON3)
  find_program(GH_PYTHON3 NAMES python3 REQUIRED)
endif()

file(GLOB GH_IT_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_*.py)
foreach(f ${GH_IT_FILES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME integration.${n}
           COMMAND ${GH_PYTHON3} -m pytest -q -p no:cacheprovider -rfE ${f}
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(integration.${n} PROPERTIES
                       ENVIRONMENT "GATEHOUSE_BIN=$<TARGET_FILE:gatehouse>;PYTHONDONTWRITEBYTECODE=1"
                       LABELS integration
                       TIMEOUT 300)
endforeach()
