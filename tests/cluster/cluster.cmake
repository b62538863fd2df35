# The cluster test (tests/cluster/run): nginx, two instances, a shared database and Redis.
add_test(NAME cluster COMMAND ${CMAKE_CURRENT_LIST_DIR}/run $<TARGET_FILE:gatehouse>)
set_tests_properties(cluster PROPERTIES LABELS cluster TIMEOUT 600)
