#pragma once
// Test helper: a fresh path in the system's temp directory, removed (with SQLite's -wal,
// -shm and -journal companions) when the test ends.
#include <atomic>
#include <filesystem>
#include <random>
#include <string>

namespace gh::test {

class TempPath {
 public:
  explicit TempPath(const std::string& suffix = ".db")
      : path_(std::filesystem::temp_directory_path() / unique_name(suffix)) {}
  ~TempPath() {
    std::error_code ignored;
    for (const char* extra : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_.string() + extra, ignored);
    }
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;

  std::string str() const { return path_.string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static std::string unique_name(const std::string& suffix) {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    return "gatehouse-test-" + std::to_string(random()) + "-" + std::to_string(counter++) + suffix;
  }

  std::filesystem::path path_;
};

}  // namespace gh::test
