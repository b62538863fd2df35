#include "services/audit_queries.hpp"

#include <utility>

namespace gh::services {

boost::asio::awaitable<models::AuditPage> AuditQueries::list(models::AuditQuery q) {
  const std::int64_t limit = q.limit;
  if (limit <= 0) co_return models::AuditPage{};
  // One row more than the page says whether another page follows, without a COUNT.
  q.limit = limit + 1;
  models::AuditPage page;
  page.events = co_await events_.list(q);
  if (static_cast<std::int64_t>(page.events.size()) > limit) {
    page.events.resize(static_cast<std::size_t>(limit));
    const auto& last = page.events.back();
    page.next = models::AuditPosition{last.occurred_at, last.id};
  }
  co_return page;
}

}  // namespace gh::services
