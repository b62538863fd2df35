#pragma once
// What a body reader checks before it reads: the media type and the content coding.
#include <string_view>

#include "http/request.hpp"

namespace gh::http {

// True when Content-Type names `media` (parameters such as charset aside), in any case.
bool has_media_type(const Request& req, std::string_view media);

// We decode no content coding: a gzip body would be parsed as if it were the text, while a
// front end that decodes it sees another message. So all but identity is media we do not
// take (RFC 9110 §15.5.16).
bool is_identity_coded(const Request& req);

}  // namespace gh::http
