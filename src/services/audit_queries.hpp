#pragma once
// Reading the audit log (API.md part two, "Audit log"): a page of events, newest first, and
// where the next one starts. Knows nothing of HTTP; the query is decoded and bounded by the
// caller (schemas/audit).
#include <boost/asio/awaitable.hpp>
#include <string>

#include "db/audit_repository.hpp"
#include "models/audit_event.hpp"

namespace gh::services {

class AuditQueries {
 public:
  explicit AuditQueries(db::AuditRepository& events) : events_(events) {}

  // At most `q.limit` events; `next` is set when at least one more follows them.
  boost::asio::awaitable<models::AuditPage> list(models::AuditQuery q);
  // A person's own events (GET /users/me/audit-events): those about `user_id`. Where
  // someone else acted (an admin), the page shows that they did, never from where: their
  // address, agent, request id and session are theirs, not the person's.
  boost::asio::awaitable<models::AuditPage> list_own(const std::string& user_id,
                                                     models::AuditQuery q);

 private:
  db::AuditRepository& events_;
};

}  // namespace gh::services
