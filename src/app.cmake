# gh_app: schemas, services, guards, middleware, routers and the composition root.
file(GLOB GH_APP_SOURCES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/src/app.cpp
     ${CMAKE_SOURCE_DIR}/src/schemas/*.cpp
     ${CMAKE_SOURCE_DIR}/src/services/*.cpp
     ${CMAKE_SOURCE_DIR}/src/jobs/*.cpp
     ${CMAKE_SOURCE_DIR}/src/dependencies/*.cpp
     ${CMAKE_SOURCE_DIR}/src/middleware/*.cpp
     ${CMAKE_SOURCE_DIR}/src/routers/*.cpp
     ${CMAKE_SOURCE_DIR}/src/cli/*.cpp)
add_library(gh_app STATIC ${GH_APP_SOURCES})
# libqrencode draws the QR code of a TOTP enrolment (services/qr_svg).
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
target_link_libraries(gh_app PUBLIC gh_http gh_db gh_config gh_redis gh_mail CLI11::CLI11
                                    PkgConfig::QRENCODE)
include(${CMAKE_SOURCE_DIR}/cmake/docs_assets.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/console_assets.cmake)
