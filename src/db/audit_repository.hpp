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

  // The events `q` selects, newest first by (occurred_at, id), after `q.after`, at most
  // `q.limit` of them (db/audit_list_query.hpp). An id filter that is not a UUID selects none.
  boost::asio::awaitable<std::vector<models::AuditEvent>> list(const models::AuditQuery& q);
  // Deletes at most `limit` events that occurred before `cutoff`, oldest first; returns how
  // many it deleted. Fewer than `limit`: none is left but those another transaction held
  // (PostgreSQL skips locked rows).
  boost::asio::awaitable<std::int64_t> purge_before(std::int64_t cutoff, std::int64_t limit);

 private:
  Database& db_;
};

}  // namespace gh::db
