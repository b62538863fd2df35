# gh_redis: a hiredis asynchronous client driven by Asio, and what is built on it.
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
file(GLOB GH_REDIS_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/redis/*.cpp)
add_library(gh_redis STATIC ${GH_REDIS_SOURCES})
target_link_libraries(gh_redis PUBLIC gh_core PkgConfig::HIREDIS)
