# The admin console (/admin): its own files under console/ and Preact with htm (one ES module,
# from the pinned tools/console-assets/package-lock.json, `npm ci` into the build directory),
# embedded into a generated source of gh_app: no CDN, no build step, no files at run time.
include(${CMAKE_CURRENT_LIST_DIR}/npm_packages.cmake)
set(GH_CONSOLE_NPM_DIR ${CMAKE_BINARY_DIR}/console-assets)
gh_npm_packages(${CMAKE_SOURCE_DIR}/tools/console-assets ${GH_CONSOLE_NPM_DIR}
                "Installing htm with Preact for the admin console (npm ci)")

file(GLOB GH_CONSOLE_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/console/*)
set(GH_CONSOLE_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/routers/console_assets.cpp)
add_custom_command(
  OUTPUT ${GH_CONSOLE_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DNODE_MODULES=${GH_CONSOLE_NPM_DIR}/node_modules
          -DCONSOLE_DIR=${CMAKE_SOURCE_DIR}/console -DOUTPUT=${GH_CONSOLE_ASSETS_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_console_assets.cmake
  DEPENDS ${GH_CONSOLE_NPM_DIR}/installed.stamp ${GH_CONSOLE_FILES}
          ${CMAKE_SOURCE_DIR}/cmake/embed_console_assets.cmake
          ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  COMMENT "Embedding the admin console"
  VERBATIM)
target_sources(gh_app PRIVATE ${GH_CONSOLE_ASSETS_CPP})
