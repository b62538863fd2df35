#pragma once
// The outbox worker (API.md part two, "Email"): every MAIL_POLL_MILLISECONDS it delivers the
// mails that are due, a few at a time, until none is; every few seconds it counts the outbox
// by state for /metrics. On a thread of its own (an SMTP exchange blocks it, never an io
// thread), through a database of its own on PostgreSQL. A database or mail server that is
// away only delays mail: the rows stay queued, and the next poll tries again.
#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "db/mail_outbox_repository.hpp"
#include "jobs/job_thread.hpp"
#include "services/mail_delivery.hpp"

namespace gh::jobs {

class MailWorker {
 public:
  MailWorker(services::MailDelivery& delivery, db::MailOutboxRepository& outbox,
             services::MailStats& stats, std::chrono::milliseconds poll)
      : delivery_(delivery), outbox_(outbox), stats_(stats), poll_(poll) {}
  ~MailWorker() { stop(); }
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  void start();
  // A mail being sent is finished first (or its lease gives it back after a restart).
  void stop() { job_.stop(); }
  // Delivers until nothing is due, on the caller's executor; how many mails it took.
  boost::asio::awaitable<int> run_once();
  // Counts the outbox by state into the stats.
  boost::asio::awaitable<void> count();

 private:
  boost::asio::awaitable<void> loop();

  services::MailDelivery& delivery_;
  db::MailOutboxRepository& outbox_;
  services::MailStats& stats_;
  std::chrono::milliseconds poll_;
  JobThread job_;  // last: stopped before the members its coroutine uses go
};

}  // namespace gh::jobs
