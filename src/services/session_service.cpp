#include "services/session_service.hpp"

#include "core/api_error.hpp"

namespace gh::services {
namespace {

ApiError session_not_found() {
  return ApiError(ErrorCode::session_not_found);
}
ApiError user_not_found() {
  return ApiError(ErrorCode::user_not_found);
}

}  // namespace

boost::asio::awaitable<std::vector<SessionEntry>> SessionService::list_own(
    const std::string& user_id, const std::string& current_session) {
  co_return co_await open_sessions(user_id, current_session);
}

boost::asio::awaitable<void> SessionService::end_own(const Actor& me,
                                                     const std::string& session_id) {
  const auto event = ended(me, me.id, session_id, "logout");
  if (!co_await sessions_.revoke_open(session_id, me.id, clock_.now_micros(),
                                      audit_.with_change(event)))
    throw session_not_found();
  audit_.committed(event);
  count(RevokeReason::session_end);
}

// The user is looked up only when the answer is empty: a deleted user's sessions went with
// them, so sessions found prove the user exists.
boost::asio::awaitable<std::vector<SessionEntry>> SessionService::list_for(
    const std::string& user_id) {
  auto entries = co_await open_sessions(user_id, {});
  if (entries.empty()) co_await require_user(user_id);
  co_return entries;
}

boost::asio::awaitable<void> SessionService::end_all_for(const std::string& user_id,
                                                         const Actor& admin) {
  const auto event = ended(admin, user_id, {}, "admin");
  const std::int64_t count_ended = co_await sessions_.revoke_all_for_user(
      user_id, clock_.now_micros(), audit_.with_change(event));
  if (count_ended == 0) co_await require_user(user_id);
  if (count_ended > 0) audit_.committed(event);
  count(RevokeReason::admin);
}

boost::asio::awaitable<void> SessionService::end_for(const std::string& user_id,
                                                     const std::string& session_id,
                                                     const Actor& admin) {
  const auto event = ended(admin, user_id, session_id, "admin");
  if (!co_await sessions_.revoke_open(session_id, user_id, clock_.now_micros(),
                                      audit_.with_change(event))) {
    co_await require_user(user_id);
    throw session_not_found();
  }
  audit_.committed(event);
  count(RevokeReason::admin);
}

models::AuditEvent SessionService::ended(const Actor& by, const std::string& user_id,
                                         const std::string& session_id, std::string reason) const {
  auto event = audit_.event_by(models::AuditType::session_ended, by, user_id);
  event.session_id = session_id;
  event.reason = std::move(reason);
  return event;
}

boost::asio::awaitable<std::vector<SessionEntry>> SessionService::open_sessions(
    const std::string& user_id, const std::string& current_session) {
  auto sessions = co_await sessions_.list_open(user_id, clock_.now_micros(), kSessionListLimit);
  std::vector<SessionEntry> entries;
  entries.reserve(sessions.size());
  for (auto& session : sessions) {
    const bool current = !current_session.empty() && session.id == current_session;
    entries.push_back({std::move(session), current});
  }
  co_return entries;
}

boost::asio::awaitable<void> SessionService::require_user(const std::string& user_id) {
  if (!co_await users_.find_by_id(user_id)) throw user_not_found();
}

void SessionService::count(RevokeReason why) {
  if (counters_) counters_->revoked(why);
}

}  // namespace gh::services
