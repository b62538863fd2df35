# Benchmarks: built with everything else, run by hand (see each file's header).
add_executable(db_pool_modes ${CMAKE_CURRENT_LIST_DIR}/db_pool_modes.cpp)
target_link_libraries(db_pool_modes PRIVATE gh_db)
set_target_properties(db_pool_modes PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
