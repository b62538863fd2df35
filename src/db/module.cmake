# gh_db: the Database interface, the SQLite and PostgreSQL backends, migrations and
# repositories.
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
file(GLOB GH_DB_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/db/*.cpp
     ${CMAKE_SOURCE_DIR}/src/db/sqlite/*.cpp ${CMAKE_SOURCE_DIR}/src/db/postgres/*.cpp)

# The SQL migrations are compiled into the binary. The glob re-runs at build time and the
# DEPENDS catch edits and additions; a removal changes no timestamp, so the file list's
# hash is part of the command, and a changed command makes Ninja regenerate.
file(GLOB_RECURSE GH_MIGRATION_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/migrations/*.sql)
string(MD5 GH_MIGRATION_FILES_HASH "${GH_MIGRATION_FILES}")
set(GH_EMBEDDED_MIGRATIONS ${CMAKE_BINARY_DIR}/generated/db/embedded_migrations.cpp)
add_custom_command(
  OUTPUT ${GH_EMBEDDED_MIGRATIONS}
  COMMAND ${CMAKE_COMMAND} -DMIGRATIONS_DIR=${CMAKE_SOURCE_DIR}/migrations
          -DOUTPUT=${GH_EMBEDDED_MIGRATIONS} -DFILES_HASH=${GH_MIGRATION_FILES_HASH}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_migrations.cmake
  DEPENDS ${GH_MIGRATION_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_migrations.cmake
  COMMENT "Embedding SQL migrations"
  VERBATIM)

add_library(gh_db STATIC ${GH_DB_SOURCES} ${GH_EMBEDDED_MIGRATIONS})
target_link_libraries(gh_db PUBLIC gh_core PkgConfig::SQLITE PkgConfig::PQ)
