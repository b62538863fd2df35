# gh_http: the small framework (server, router, request/response, middleware, errors, json).
file(GLOB GH_HTTP_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/http/*.cpp)
list(REMOVE_ITEM GH_HTTP_SOURCES ${CMAKE_SOURCE_DIR}/src/http/asio_impl.cpp)
add_library(gh_http STATIC ${GH_HTTP_SOURCES})
target_link_libraries(gh_http PUBLIC gh_core)
