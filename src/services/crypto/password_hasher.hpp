#pragma once
// Argon2id password hashing on a bounded CPU pool of its own: a hash costs tens of
// milliseconds and megabytes, so it never runs on an io thread, and a full queue answers
// 503 at once instead of letting logins wait without bound.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "services/crypto/hash_arena.hpp"
#include "services/crypto/hash_gate.hpp"

namespace gh::crypto {

class PasswordHasher {
 public:
  // OWASP's Argon2id baseline: m = 19 MiB, t = 2, p = 1.
  struct Params {
    unsigned long long opslimit = 2;
    std::size_t memlimit = 19u * 1024 * 1024;
  };

  // Runs at most `threads` hashes at once (one fewer while `busy` answers true: other
  // work wants the cores, see hash_gate.hpp) and admits up to `max_waiting` more in the
  // queue. The dummy hash is made on the pool, so construction returns at once.
  // Throws std::invalid_argument for threads == 0 or params below libsodium's minimum.
  PasswordHasher(Params params, unsigned threads, unsigned max_waiting,
                 std::function<bool()> busy = {});
  ~PasswordHasher();

  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Each of these admits its job when called, not when awaited: when the pool is full
  // (or stopped) the call throws gh::service_unavailable (503) straight away. The
  // returned awaitable must not outlive the hasher.
  boost::asio::awaitable<std::string> hash(std::string password);
  // False for a wrong password and for a malformed hash; never throws for either.
  boost::asio::awaitable<bool> verify(std::string encoded_hash, std::string password);
  // Same cost as a real verify, against a dummy hash made at construction, so unknown
  // emails cost like wrong passwords.
  boost::asio::awaitable<void> verify_dummy(std::string password);

  // True when the hash was made with other parameters (or is not ours to read), so the
  // caller should store a fresh hash after a successful login.
  bool needs_rehash(const std::string& encoded) const;

  // Jobs admitted and not yet finished, queued or running.
  std::size_t queue_depth() const;
  // Password checks run to the end so far, dummy ones included: what shows that a login
  // for an unknown email pays for a hash like any other.
  const std::atomic<std::uint64_t>& verifications() const { return verifications_; }
  // The most hashes that ran at once so far.
  unsigned most_at_once() const { return gate_.most_at_once(); }

  // Refuses new jobs and waits for admitted ones to finish. Idempotent.
  void stop();

 private:
  // Takes a slot in in_flight_ or throws the 503.
  void admit();
  // Made once, on a pool thread; a caller that comes early waits for it there.
  const std::string& dummy_hash();

  Params params_;
  std::size_t capacity_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> verifications_{0};
  HashGate gate_;
  // Threads that have stopped hashing give their Argon2 memory back after a second.
  hash_arena::Trimmer trimmer_{std::chrono::seconds(1)};
  boost::asio::thread_pool pool_;
};

}  // namespace gh::crypto
