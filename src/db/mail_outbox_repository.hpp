#pragma once
// The mail_outbox table: mails written with what caused them, leased one attempt at a time by
// the worker of any instance (FOR UPDATE SKIP LOCKED on PostgreSQL, the one writer on
// SQLite), so each mail is taken by one instance; a lease that ends unfinished (an instance
// died mid-send) makes the mail due again.
#include <array>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/mail.hpp"

namespace gh::db {

class MailOutboxRepository {
 public:
  explicit MailOutboxRepository(Database& db) : db_(db) {}

  // The INSERT of `mail`, due at once, to run in the transaction of what caused it.
  static Statement enqueue(const models::OutboxMail& mail, std::int64_t now);
  boost::asio::awaitable<void> add(const models::OutboxMail& mail, std::int64_t now);

  // Up to `limit` due mails, oldest due first, each leased until `lease_until` with its
  // attempt counted. A mail leased by another worker whose lease has not ended is skipped.
  boost::asio::awaitable<std::vector<models::OutboxMail>> claim(std::int64_t now,
                                                                std::int64_t lease_until,
                                                                int limit);
  // The attempt is over: sent, skipped or failed for good (`error` says why; never a token).
  boost::asio::awaitable<void> finish(const std::string& id, models::MailState state,
                                      std::int64_t now, const std::string& error);
  // The attempt failed for now: due again at `next_attempt_at`.
  boost::asio::awaitable<void> retry_at(const std::string& id, std::int64_t next_attempt_at,
                                        const std::string& error);
  // How many mails went to `recipient` since `since` (the per-account limit).
  boost::asio::awaitable<std::int64_t> sent_since(const std::string& recipient, std::int64_t since);
  // Rows in each state, in the order of MailState (for /metrics).
  boost::asio::awaitable<std::array<std::int64_t, 4>> count_by_state();
  // Deletes up to `limit` finished rows that finished before `cutoff`; how many it deleted.
  boost::asio::awaitable<std::int64_t> purge_finished(std::int64_t cutoff, std::int64_t limit);

 private:
  Database& db_;
};

}  // namespace gh::db
