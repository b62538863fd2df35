#include "http/response_bytes.hpp"

namespace gh::http {

bool serializable(const Response& res) {
  return !res.chunked();
}

void serialize_response(const Response& res, std::string& out) {
  const auto reason = res.reason();
  const auto& body = res.body();
  std::size_t size = 17 + reason.size() + 2 + body.size();
  for (const auto& field : res) size += field.name_string().size() + field.value().size() + 4;
  out.reserve(out.size() + size);

  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  const unsigned status = res.result_int();
  out += static_cast<char>('0' + status / 100 % 10);
  out += static_cast<char>('0' + status / 10 % 10);
  out += static_cast<char>('0' + status % 10);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& field : res) {
    out.append(field.name_string().data(), field.name_string().size());
    out += ": ";
    out.append(field.value().data(), field.value().size());
    out += "\r\n";
  }
  out += "\r\n";
  out += body;
}

}  // namespace gh::http
