#include "config/key_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/settings.hpp"
#include "config/text.hpp"

namespace gh::config::detail {

namespace {

const std::string kSetting = "SECRET_KEY_FILE";
constexpr std::size_t kKeyBytes = 48;

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
  throw ConfigError(kSetting, "cannot " + what + " " + path + ": " + std::strerror(error));
}

// 48 random bytes, base64url without padding: 64 characters, safe in a `.env` line.
std::string generate_key() {
  if (sodium_init() < 0) throw ConfigError(kSetting, "libsodium could not be initialised");
  unsigned char bytes[kKeyBytes];
  randombytes_buf(bytes, sizeof(bytes));
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char text[sodium_base64_ENCODED_LEN(kKeyBytes, kVariant)];
  sodium_bin2base64(text, sizeof(text), bytes, sizeof(bytes), kVariant);
  sodium_memzero(bytes, sizeof(bytes));
  return text;
}

// Removes the temporary file on every way out, including a throw.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : path_(target + ".XXXXXX") {
    // mkstemp creates the file 0600, so the key is never readable by others, not even briefly.
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) fail("create a file next to", target, errno);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

  void write_all(const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("write", path_, errno);
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) fail("write", path_, errno);
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

std::optional<std::string> read_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::nullopt;
  if (fd < 0) fail("read", path, errno);
  std::string text;
  char buffer[256];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
  }
  const int error = errno;
  ::close(fd);
  if (n < 0) fail("read", path, error);
  const std::string key(trim(text));
  if (key.empty()) throw ConfigError(kSetting, path + " is empty; delete it to get a new key");
  return key;
}

std::string create_key_file(const std::string& path) {
  const std::string key = generate_key();
  TempFile temp(path);
  temp.write_all(key + "\n");
  // link() never replaces an existing file, unlike rename(): if two processes start at once,
  // the first key written wins and both read it back.
  if (::link(temp.path().c_str(), path.c_str()) == 0) return key;
  if (errno == EEXIST) return read_key_file(path).value();
  // Some filesystems have no hard links; there the race above is accepted.
  if (::rename(temp.path().c_str(), path.c_str()) == 0) return key;
  fail("write", path, errno);
}

}  // namespace gh::config::detail
