# gh_mail: SMTP delivery through libcurl, and the MIME message it sends (no HTTP, no
# database). libcurl's easy API blocks: only the outbox worker's thread calls it.
find_package(CURL REQUIRED)
file(GLOB GH_MAIL_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/mail/*.cpp)
add_library(gh_mail STATIC ${GH_MAIL_SOURCES})
target_link_libraries(gh_mail PUBLIC gh_core CURL::libcurl)
