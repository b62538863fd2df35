# gh_core: clock, errors, ids, encodings, JWT and password hashing (no HTTP, no database).
file(GLOB GH_CORE_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/core/*.cpp
     ${CMAKE_SOURCE_DIR}/src/services/crypto/*.cpp)
add_library(gh_core STATIC ${GH_CORE_SOURCES})
# crypt: libxcrypt's crypt_r, to verify bcrypt hashes imported from the reference app.
target_link_libraries(gh_core PUBLIC gh_asio gh_sodium OpenSSL::Crypto crypt)
