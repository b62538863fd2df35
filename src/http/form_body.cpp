#include "http/form_body.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "core/utf8_prefix.hpp"
#include "http/content_type.hpp"
#include "http/percent_decode.hpp"

namespace gh::http {
namespace {

// Our largest form has five fields; a body of thousands is only ever an attack on the parser.
constexpr std::size_t kMaxFields = 32;

// A field's name as an error may quote it: ours are short lower-case words, and anything
// else a client invented is "a parameter", never its text echoed back to a page.
std::string quotable(std::string name) {
  const bool word = !name.empty() && name.size() <= 32 &&
                    std::all_of(name.begin(), name.end(),
                                [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
  return word ? name : "parameter";
}

ApiError invalid(std::string loc, std::string msg) {
  return ApiError(ErrorCode::validation_error, {},
                  {FieldError{{"body", quotable(std::move(loc))}, std::move(msg)}});
}

// Decoded text, refused when it is not well-formed UTF-8 or holds NUL (utf8_prefix replaces
// exactly those, so any change means the text was not clean).
std::string decoded_text(std::string_view raw, const std::string& loc) {
  std::string text = percent_decode(raw);
  if (utf8_prefix(text, std::numeric_limits<std::size_t>::max()) != text)
    throw invalid(loc, "Must be UTF-8 text without NUL");
  return text;
}

}  // namespace

boost::json::object parse_form_body(const Request& req) {
  if (!has_media_type(req, "application/x-www-form-urlencoded"))
    throw ApiError(ErrorCode::unsupported_media_type,
                   "Content-Type must be application/x-www-form-urlencoded");
  if (!is_identity_coded(req))
    throw ApiError(ErrorCode::unsupported_media_type, "Content-Encoding must be identity");
  boost::json::object fields;
  std::string_view rest = req.raw.body();
  std::size_t count = 0;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > kMaxFields) throw invalid("form", "Too many fields");
    const auto eq = pair.find('=');
    const std::string name = decoded_text(pair.substr(0, eq), "form");
    const std::string value =
        eq == std::string_view::npos ? std::string{} : decoded_text(pair.substr(eq + 1), name);
    if (fields.contains(name)) throw invalid(name, "Given more than once");
    fields[name] = value;
  }
  // Dropped only after the duplicate check: "a=&a=x" still names `a` twice.
  for (auto it = fields.begin(); it != fields.end();)
    it = it->value().get_string().empty() ? fields.erase(it) : std::next(it);
  return fields;
}

}  // namespace gh::http
