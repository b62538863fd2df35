# gh_db: the Database interface, the SQLite backend, migrations and repositories.
file(GLOB GH_DB_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/db/*.cpp
     ${CMAKE_SOURCE_DIR}/src/db/sqlite/*.cpp)
add_library(gh_db STATIC ${GH_DB_SOURCES})
target_link_libraries(gh_db PUBLIC gh_core PkgConfig::SQLITE)
