// REDIS_URL: redis://[[user]:password@]host[:port][/db]. Errors never quote the URL: it may
// carry a password.
#include <boost/url/parse.hpp>

#include "config/settings.hpp"
#include "config/text.hpp"
#include "config/values.hpp"

namespace gh::config {

namespace {

const std::string kSetting = "REDIS_URL";

int db_of(const boost::urls::url_view& url) {
  std::string path = url.path();
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (path.empty()) return 0;
  const bool digits = path.size() <= 4 && path.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) throw ConfigError(kSetting, "expected a database number after the host, as in /0");
  return std::stoi(path);
}

}  // namespace

RedisUrl parse_redis_url(const std::string& text) {
  const std::string trimmed(detail::trim(text));
  if (!detail::to_lower(trimmed).starts_with("redis://")) {
    throw ConfigError(kSetting, "expected empty or a redis:// URL");
  }
  const auto url = boost::urls::parse_uri(trimmed);
  if (!url || url->host_address().empty()) {
    throw ConfigError(kSetting,
                      "not a valid redis://host:port/db URL (percent-encode special characters "
                      "in the password)");
  }
  if (url->has_query()) throw ConfigError(kSetting, "URL options (\"?...\") are not supported");
  RedisUrl r;
  r.host = url->host_address();
  if (url->has_port()) {
    const auto port = detail::parse_port(url->port());
    if (!port) throw ConfigError(kSetting, "expected a port from 1 to 65535");
    r.port = *port;
  }
  r.user = url->user();
  r.password = url->password();
  r.db = db_of(*url);
  return r;
}

}  // namespace gh::config
