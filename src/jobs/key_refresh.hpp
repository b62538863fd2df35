#pragma once
// Every KEYS_REFRESH_SECONDS, reads the signing_keys table into this instance's key ring, so a
// key another instance made, activated or revoked is published, used or refused here within
// that time (API.md part two, "Signing keys"). On a thread of its own, through a database of
// its own on PostgreSQL; a failed read keeps the keys it had and tries again next time.
#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "db/signing_key_repository.hpp"
#include "jobs/job_thread.hpp"
#include "services/key_ring.hpp"

namespace gh::jobs {

class KeyRefresh {
 public:
  KeyRefresh(db::SigningKeyRepository& keys, services::KeyRing& ring, std::chrono::seconds interval)
      : keys_(keys), ring_(ring), interval_(interval) {}
  ~KeyRefresh() { stop(); }
  KeyRefresh(const KeyRefresh&) = delete;
  KeyRefresh& operator=(const KeyRefresh&) = delete;

  void start();
  void stop() { job_.stop(); }
  // One read, on the caller's executor; true when the ring changed. Throws what the database
  // or the ring throws.
  boost::asio::awaitable<bool> run_once();

 private:
  boost::asio::awaitable<void> loop();

  db::SigningKeyRepository& keys_;
  services::KeyRing& ring_;
  std::chrono::seconds interval_;
  JobThread job_;  // last: stopped before the members its coroutine uses go
};

}  // namespace gh::jobs
