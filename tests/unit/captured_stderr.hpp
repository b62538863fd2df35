#pragma once
// Test helper: what a piece of code writes to stderr (the log), read through a pipe.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace gh::test {

template <class F>
std::string captured_stderr(F write_line) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(fds[1], STDERR_FILENO);
  std::string out;
  std::thread reader([&] {  // a line longer than the pipe's buffer must not block the write
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  });
  write_line();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  return out;
}

}  // namespace gh::test
