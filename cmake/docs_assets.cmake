# Swagger UI and ReDoc for /docs and /redoc: `npm ci` of the pinned lockfile in
# tools/docs-assets into the build directory (skipped when already installed), then the
# files the pages need are embedded into a generated source of gh_app.
include(${CMAKE_CURRENT_LIST_DIR}/npm_packages.cmake)
set(GH_DOCS_NPM_DIR ${CMAKE_BINARY_DIR}/docs-assets)
gh_npm_packages(${CMAKE_SOURCE_DIR}/tools/docs-assets ${GH_DOCS_NPM_DIR}
                "Installing swagger-ui-dist and redoc (npm ci)")

set(GH_DOCS_ASSETS_CPP ${CMAKE_BINARY_DIR}/generated/routers/docs_assets.cpp)
add_custom_command(
  OUTPUT ${GH_DOCS_ASSETS_CPP}
  COMMAND ${CMAKE_COMMAND} -DNODE_MODULES=${GH_DOCS_NPM_DIR}/node_modules
          -DOUTPUT=${GH_DOCS_ASSETS_CPP} -P ${CMAKE_SOURCE_DIR}/cmake/embed_docs_assets.cmake
  DEPENDS ${GH_DOCS_NPM_DIR}/installed.stamp ${CMAKE_SOURCE_DIR}/cmake/embed_docs_assets.cmake
          ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  COMMENT "Embedding Swagger UI and ReDoc"
  VERBATIM)
target_sources(gh_app PRIVATE ${GH_DOCS_ASSETS_CPP})
target_compile_definitions(gh_app PRIVATE GATEHOUSE_VERSION="${PROJECT_VERSION}")
