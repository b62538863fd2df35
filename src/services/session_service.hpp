#pragma once
// The sessions a person can see and end, and an admin's view of anyone's (API.md, part two).
// Throws ApiError for expected failures; knows nothing of HTTP.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/security_counters.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "models/session.hpp"
#include "services/audit_log.hpp"

namespace gh::services {

// An open session as a list shows it; `current` marks the one the caller is using.
struct SessionEntry {
  models::Session session;
  bool current = false;
};

// A list shows the newest this many open sessions: a client that logs in without ever
// logging out must not make one answer read them all.
inline constexpr std::int64_t kSessionListLimit = 100;

class SessionService {
 public:
  SessionService(db::SessionRepository& sessions, db::UserRepository& users, const Clock& clock,
                 AuditLog& audit, SecurityCounters* counters = nullptr)
      : sessions_(sessions), users_(users), clock_(clock), audit_(audit), counters_(counters) {}

  // `user_id`'s open sessions, newest first; the one with id `current_session` is current.
  boost::asio::awaitable<std::vector<SessionEntry>> list_own(const std::string& user_id,
                                                             const std::string& current_session);
  // Ends one of `me`'s open sessions (its tokens stop working on their next request);
  // 404 SESSION_NOT_FOUND when it is someone else's, already ended or expired.
  boost::asio::awaitable<void> end_own(const Actor& me, const std::string& session_id);

  // For admins. A user's open sessions, none current; 404 USER_NOT_FOUND.
  boost::asio::awaitable<std::vector<SessionEntry>> list_for(const std::string& user_id);
  // Ends every session of the user; 404 USER_NOT_FOUND.
  boost::asio::awaitable<void> end_all_for(const std::string& user_id, const Actor& admin);
  // Ends one open session of the user; 404 USER_NOT_FOUND, then SESSION_NOT_FOUND.
  boost::asio::awaitable<void> end_for(const std::string& user_id, const std::string& session_id,
                                       const Actor& admin);

 private:
  boost::asio::awaitable<std::vector<SessionEntry>> open_sessions(
      const std::string& user_id, const std::string& current_session);
  // Throws USER_NOT_FOUND unless the user exists.
  boost::asio::awaitable<void> require_user(const std::string& user_id);
  void count(RevokeReason why);
  // session.ended, done by `by` to `user_id`'s session `session_id` (empty: all of them).
  models::AuditEvent ended(const Actor& by, const std::string& user_id,
                           const std::string& session_id, std::string reason) const;

  db::SessionRepository& sessions_;
  db::UserRepository& users_;
  const Clock& clock_;
  AuditLog& audit_;
  SecurityCounters* counters_;
};

}  // namespace gh::services
