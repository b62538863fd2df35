#include "mail/message.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/random.hpp"

namespace gh::mail {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// RFC 2045 §6.8: lines of at most 76 characters.
std::string base64_lines(std::string_view bytes) {
  const std::string flat = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

bool plain_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// RFC 2047 encoded-words of at most 75 characters, cut between UTF-8 characters.
std::string encoded_header(std::string_view text) {
  if (plain_ascii(text)) return std::string(text);
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + 45);  // 45 bytes -> 60 base64 characters
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

void refuse_line_breaks(std::string_view value, const char* what) {
  if (value.find_first_of("\r\n") != std::string_view::npos)
    throw std::invalid_argument(std::string(what) + " holds a line break");
}

std::string part(std::string_view boundary, std::string_view type, std::string_view body) {
  return "--" + std::string(boundary) + "\r\nContent-Type: " + std::string(type) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(body);
}

}  // namespace

std::string address_of(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  std::string_view address = mailbox;
  if (open != std::string_view::npos) {
    const auto close = mailbox.find('>', open);
    if (close == std::string_view::npos || close + 1 != mailbox.size()) return {};
    address = mailbox.substr(open + 1, close - open - 1);
  }
  if (address.empty() || address.find_first_of("\r\n<> ") != std::string_view::npos ||
      address.find('@') == std::string_view::npos)
    return {};
  return std::string(address);
}

std::string render_message(const Mail& mail, std::string_view from, std::string_view message_id,
                           std::string_view date) {
  refuse_line_breaks(mail.to, "To");
  refuse_line_breaks(mail.subject, "Subject");
  refuse_line_breaks(from, "From");
  const std::string boundary = "=_gatehouse_" + random_token(18);
  const std::string domain = address_of(from).substr(address_of(from).find('@') + 1);
  std::string out;
  out += "From: " + std::string(from) + "\r\n";
  out += "To: " + mail.to + "\r\n";
  out += "Subject: " + encoded_header(mail.subject) + "\r\n";
  out += "Date: " + std::string(date) + "\r\n";
  out += "Message-ID: <" + std::string(message_id) + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += part(boundary, "text/plain", mail.text);
  out += part(boundary, "text/html", mail.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace gh::mail
