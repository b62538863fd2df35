#include "services/audit_queries.hpp"

#include <utility>

namespace gh::services {
namespace {

// An event another actor caused, as its subject sees it. A session.ended names the
// subject's own session; every other event names the actor's.
void hide_other_actor(models::AuditEvent& e, const std::string& user_id) {
  if (e.actor_id.empty() || e.actor_id == user_id) return;
  e.ip.clear();
  e.user_agent.clear();
  e.request_id.clear();
  if (e.type != models::AuditType::session_ended) e.session_id.clear();
}

}  // namespace

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

boost::asio::awaitable<models::AuditPage> AuditQueries::list_own(const std::string& user_id,
                                                                 models::AuditQuery q) {
  q.subject_user_id = user_id;
  auto page = co_await list(std::move(q));
  for (auto& e : page.events) hide_other_actor(e, user_id);
  co_return page;
}

}  // namespace gh::services
