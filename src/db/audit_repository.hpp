#pragma once
// The audit_events table: append-only. Events are written with the change they record
// (insert_statement, in the change's transaction) or in batches by the failure writer;
// read newest first by keyset; deleted only by the retention purge.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "db/database.hpp"
#include "models/audit_event.hpp"

namespace gh::db {

class AuditRepository {
 public:
  explicit AuditRepository(Database& db) : db_(db) {}

  // The INSERT of `event`, to run in another statement's transaction; with `only_if_changed`,
  // only when the statement at that index changed a row (Statement::only_if_changed).
  static Statement insert_statement(const models::AuditEvent& event,
                                    std::optional<std::size_t> only_if_changed = std::nullopt);
  // Every event in one transaction (the failure writer's batch).
  boost::asio::awaitable<void> insert_all(const std::vector<models::AuditEvent>& events);
  // Deletes at most `limit` events that occurred before `cutoff`, oldest first; how many.
  boost::asio::awaitable<std::int64_t> purge_before(std::int64_t cutoff, std::int64_t limit);

 private:
  Database& db_;
};

}  // namespace gh::db
