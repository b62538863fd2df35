#include "http/content_type.hpp"

#include <boost/beast/core/string.hpp>

#include "http/ows.hpp"

namespace gh::http {

bool has_media_type(const Request& req, std::string_view media) {
  const std::string_view value = req.header(bhttp::field::content_type);
  return boost::beast::iequals(trim_ows(value.substr(0, value.find(';'))), media);
}

bool is_identity_coded(const Request& req) {
  const auto [first, last] = req.raw.equal_range(bhttp::field::content_encoding);
  for (auto it = first; it != last; ++it) {
    std::string_view codings{it->value().data(), it->value().size()};
    while (!codings.empty()) {
      const auto comma = codings.find(',');
      const std::string_view coding = trim_ows(codings.substr(0, comma));
      codings.remove_prefix(comma == std::string_view::npos ? codings.size() : comma + 1);
      if (!coding.empty() && !boost::beast::iequals(coding, "identity")) return false;
    }
  }
  return true;
}

}  // namespace gh::http
