# A pinned npm package set (package.json + package-lock.json + .npmrc in SOURCE) installed
# with `npm ci` into DEST at build time (tools/npm-ci skips it when DEST already holds that
# lockfile); DEST/installed.stamp is the output other build steps depend on.
find_program(GH_NPM npm)
if(NOT GH_NPM)
  message(FATAL_ERROR "npm is needed to build the /docs pages and the admin console "
                      "(scripts/bootstrap installs it)")
endif()

function(gh_npm_packages source dest comment)
  add_custom_command(
    OUTPUT ${dest}/installed.stamp
    COMMAND ${CMAKE_SOURCE_DIR}/tools/npm-ci ${source} ${dest}
    DEPENDS ${source}/package.json ${source}/package-lock.json ${source}/.npmrc
            ${CMAKE_SOURCE_DIR}/tools/npm-ci
    COMMENT "${comment}"
    VERBATIM)
endfunction()
