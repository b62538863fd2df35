// The process environment over the `.env` file.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/settings.hpp"

extern char** environ;

namespace gh::config {

namespace {

[[noreturn]] void unreadable(const std::string& path, const std::string& reason) {
  throw ConfigError(".env", "cannot read " + path + ": " + reason);
}

// A missing file is normal (settings may all come from the environment); anything else that
// stops us reading it is not, since silently skipping it would run with the wrong settings.
std::string read_dotenv_text(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return {};
  if (ec) unreadable(path, ec.message());
  if (!std::filesystem::is_regular_file(status)) unreadable(path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) unreadable(path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Environment read_environment(const std::string& dotenv_path) {
  Environment env = parse_dotenv(read_dotenv_text(dotenv_path));
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.insert_or_assign(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

}  // namespace gh::config
