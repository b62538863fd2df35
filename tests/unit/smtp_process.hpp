#pragma once
// Test helper: the test SMTP server (tests/smtp/smtp_server.py, Debian's aiosmtpd) as a child
// on a free loopback port, writing what it accepts to a folder; killed when the object goes.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "redis_process.hpp"  // free_port

namespace gh::test {

class SmtpProcess {
 public:
  // `extra`: "--fail-first", "1" or "--reject".
  explicit SmtpProcess(std::filesystem::path dir, std::vector<std::string> extra = {})
      : port_(free_port()), dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    std::vector<std::string> args{"python3", GH_SOURCE_DIR "/tests/smtp/smtp_server.py",
                                  "--port",  std::to_string(port_),
                                  "--dir",   dir_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      if (int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("/usr/bin/python3", argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 400; ++i) {
      if (accepting(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("the test SMTP server did not start (python3-aiosmtpd?)");
  }
  ~SmtpProcess() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The raw messages received so far, oldest first.
  std::vector<std::string> received() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_))
      if (e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
    return out;
  }

  static bool accepting(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

 private:
  std::uint16_t port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

}  // namespace gh::test
