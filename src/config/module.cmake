# gh_config: settings from the environment and .env, validated once.
file(GLOB GH_CONFIG_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/config/*.cpp)
add_library(gh_config STATIC ${GH_CONFIG_SOURCES})
target_link_libraries(gh_config PUBLIC gh_core)
