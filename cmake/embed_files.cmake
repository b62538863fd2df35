# Shared by the embed_*_assets.cmake scripts: a file as a C++ byte array, with a gzip copy for
# text and a strong ETag from its SHA-256, as one EmbeddedAsset initialiser
# (src/routers/embedded_asset.hpp).
#
#   set(definitions "") set(entries "") set(index 0)
#   embed_asset(<served name> <file> <media type>)   ... then write ${definitions}, ${entries}
# Macros, so they append to the caller's variables. OUTPUT names the generated source (its
# temporary .gz files sit beside it).

# Appends `constexpr char <symbol>[]` with the bytes `hex` (as file(READ ... HEX) gives them)
# to `definitions` and sets <out_var> to its initialiser ({symbol, size}).
macro(embed_hex hex symbol out_var)
  # Every byte as a \x escape: binary-safe, and no delimiter can clash.
  string(LENGTH "${hex}" _hex_length)
  math(EXPR _size "${_hex_length} / 2")
  string(REGEX REPLACE "(..)" "\\\\x\\1" _escaped "${hex}")
  string(APPEND definitions "constexpr char ${symbol}[] = \"${_escaped}\";\n")
  set(${out_var} "{${symbol}, ${_size}}")
endmacro()

macro(embed_asset name file type)
  set(_type "${type}")
  if(_type MATCHES "^text/")
    string(APPEND _type "; charset=utf-8")
  endif()
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "embed_asset: ${file} is missing; is the npm install complete?")
  endif()
  file(READ "${file}" _hex HEX)
  embed_hex("${_hex}" kAsset${index} _plain)
  # Text compresses about four to one: keep a gzip copy for clients that accept it.
  set(_gzip "{}")
  if(_type MATCHES "^text/")
    set(_gz_file "${OUTPUT}.${index}.gz")
    file(ARCHIVE_CREATE OUTPUT "${_gz_file}" PATHS "${file}" FORMAT raw COMPRESSION GZip
         COMPRESSION_LEVEL 9)
    file(READ "${_gz_file}" _hex HEX)
    # Zero the header's MTIME (bytes 4-7), so the same input always gives the same output.
    string(SUBSTRING "${_hex}" 0 8 _head)
    string(SUBSTRING "${_hex}" 16 -1 _tail)
    embed_hex("${_head}00000000${_tail}" kAsset${index}Gzip _gzip)
    file(REMOVE "${_gz_file}")
  endif()
  file(SHA256 "${file}" _sha)
  string(SUBSTRING "${_sha}" 0 32 _etag)
  string(APPEND entries
         "      {\"${name}\", \"${_type}\", ${_plain}, ${_gzip}, \"\\\"${_etag}\\\"\", "
         "\"\\\"${_etag}-gzip\\\"\"},\n")
  math(EXPR index "${index} + 1")
endmacro()

# Writes OUTPUT, rewriting it only when it changed (so an unchanged input rebuilds nothing).
function(write_if_changed text)
  file(WRITE "${OUTPUT}.tmp" "${text}")
  file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUTPUT}.tmp")
endfunction()
