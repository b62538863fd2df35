#include "http/response_bytes.hpp"

#include "core/put_bytes.hpp"

#include <string_view>

namespace gh::http {

bool serializable(const Response& res) {
  return !res.chunked();
}

void serialize_response(const Response& res, std::string& out, std::string_view fixed_fields,
                        bool with_body) {
  const auto reason = res.reason();
  const std::string_view body = with_body ? std::string_view(res.body()) : std::string_view();
  std::size_t size = 17 + reason.size() + body.size() + fixed_fields.size();
  for (const auto& field : res) size += field.name_string().size() + field.value().size() + 4;

  // Sized once and filled through a pointer: appending piece by piece checked the
  // capacity at every character.
  const std::size_t start = out.size();
  out.resize(start + size);
  char* at = out.data() + start;
  at = put_bytes(at, res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  const unsigned status = res.result_int();
  *at++ = static_cast<char>('0' + status / 100 % 10);
  *at++ = static_cast<char>('0' + status / 10 % 10);
  *at++ = static_cast<char>('0' + status % 10);
  *at++ = ' ';
  at = put_bytes(at, {reason.data(), reason.size()});
  at = put_bytes(at, "\r\n");
  for (const auto& field : res) {
    at = put_bytes(at, {field.name_string().data(), field.name_string().size()});
    at = put_bytes(at, ": ");
    at = put_bytes(at, {field.value().data(), field.value().size()});
    at = put_bytes(at, "\r\n");
  }
  at = put_bytes(at, fixed_fields);
  at = put_bytes(at, "\r\n");
  put_bytes(at, body);
}

}  // namespace gh::http
