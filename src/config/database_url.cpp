// SQLAlchemy-style database URLs, so a reference application's `.env` works unchanged.
#include <algorithm>

#include <boost/url/parse.hpp>

#include "config/settings.hpp"
#include "config/text.hpp"
#include "config/values.hpp"

namespace gh::config {

namespace {

const std::string kSetting = "DATABASE_URL";

// The scheme without its "+driver" suffix, lower-cased; the rest after "://".
struct SplitUrl {
  std::string scheme;
  std::string rest;
};

SplitUrl split_scheme(const std::string& url) {
  const std::size_t separator = url.find("://");
  if (separator == std::string::npos) {
    throw ConfigError(kSetting, "expected sqlite:///path or postgresql://user:pass@host/db");
  }
  std::string scheme = detail::to_lower(url.substr(0, separator));
  scheme = scheme.substr(0, scheme.find('+'));
  return {scheme, url.substr(separator + 3)};
}

// Naming the scheme helps spot a "mysql://" left over from elsewhere, but only a real scheme
// is shown: text before "://" in a garbled URL may be part of a password.
std::string shown_scheme(const std::string& scheme) {
  const bool plain =
      !scheme.empty() && scheme.size() <= 20 &&
      std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      });
  return plain ? " " + detail::quoted(scheme) : std::string();
}

// sqlite:///rel.db, sqlite:////abs.db, sqlite:///:memory: and sqlite:// (memory).
DatabaseUrl parse_sqlite(const std::string& rest) {
  DatabaseUrl db;
  db.kind = DatabaseUrl::Kind::sqlite;
  if (rest.empty() || rest == "/") {
    db.path = ":memory:";
    return db;
  }
  if (rest.find('?') != std::string::npos) {
    throw ConfigError(kSetting, "sqlite URL options (\"?...\") are not supported");
  }
  if (rest.front() != '/') {
    throw ConfigError(kSetting,
                      "a sqlite URL has no host: use sqlite:///relative.db or "
                      "sqlite:////absolute/path.db");
  }
  db.path = rest.substr(1);
  return db;
}

std::uint16_t port_of(const boost::urls::url_view& url) {
  if (!url.has_port()) return 5432;
  const auto port = detail::parse_port(url.port());
  if (!port) throw ConfigError(kSetting, "expected a port from 1 to 65535");
  return *port;
}

// Error messages never quote the URL: it usually carries the password.
DatabaseUrl parse_postgres(const std::string& rest) {
  DatabaseUrl db;
  db.kind = DatabaseUrl::Kind::postgres;
  db.conninfo = "postgresql://" + rest;
  const auto url = boost::urls::parse_uri(db.conninfo);
  if (!url) {
    throw ConfigError(kSetting,
                      "not a valid postgresql:// URL (percent-encode special "
                      "characters in the user name and password)");
  }
  db.host = url->host_address();
  db.user = url->user();
  db.password = url->password();
  db.port = port_of(*url);
  db.dbname = url->path();
  if (!db.dbname.empty() && db.dbname.front() == '/') db.dbname.erase(0, 1);
  return db;
}

}  // namespace

DatabaseUrl parse_database_url(const std::string& url) {
  const SplitUrl split = split_scheme(std::string(detail::trim(url)));
  if (split.scheme == "sqlite") return parse_sqlite(split.rest);
  if (split.scheme == "postgresql" || split.scheme == "postgres") {
    return parse_postgres(split.rest);
  }
  throw ConfigError(kSetting, "unsupported database" + shown_scheme(split.scheme) +
                                  ": expected sqlite or postgresql");
}

}  // namespace gh::config
