#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/user.hpp"
#include "models/user_query.hpp"

namespace gh::db {

using models::UserChanges;
using models::UserCounts;

enum class GuardedResult { done, not_found, last_admin };

class UserRepository {
 public:
  explicit UserRepository(Database& db) : db_(db) {}

  // DbError(unique_violation) when the email is taken. `also` (db/with_change.hpp) is
  // written with the user.
  boost::asio::awaitable<void> insert(const models::User& user, std::vector<Statement> also = {});
  boost::asio::awaitable<std::optional<models::User>> find_by_id(const std::string& id);
  boost::asio::awaitable<std::optional<models::User>> find_by_email(const std::string& email);
  // The user behind an access token: active, and the session open and unexpired. One query.
  boost::asio::awaitable<std::optional<models::User>> find_active_with_session(
      const std::string& user_id, const std::string& session_id, std::int64_t now);
  // Ordered by creation (then id); without password hashes (empty), which a page never needs.
  // A page in creation order: `q.limit` rows after `q.after` (or from the start), past
  // `q.skip` of them, that pass `q.filter`.
  boost::asio::awaitable<std::vector<models::User>> list(const models::UserQuery& q);
  boost::asio::awaitable<UserCounts> counts();
  // Applies changes atomically; refuses (last_admin) when the change would leave no
  // active admin. DbError(unique_violation) on a taken email. `also` is written with the
  // change, `if_sessions_ended` only when deactivating or demoting ended sessions.
  boost::asio::awaitable<GuardedResult> update(const std::string& id, const UserChanges& changes,
                                               std::int64_t now, std::vector<Statement> also = {},
                                               std::vector<Statement> if_sessions_ended = {},
                                               std::int64_t* sessions_ended = nullptr);
  // Deletes the user (sessions go with it); refuses (last_admin) for the last active admin.
  boost::asio::awaitable<GuardedResult> remove(const std::string& id,
                                               std::vector<Statement> also = {});
  boost::asio::awaitable<void> set_password_hash(const std::string& id, const std::string& hash,
                                                 std::int64_t now);
  // The same, only while the stored hash is still `old_hash`; false when it changed meanwhile.
  boost::asio::awaitable<bool> replace_password_hash(const std::string& id,
                                                     const std::string& old_hash,
                                                     const std::string& new_hash, std::int64_t now);
  // A password change: the hash replaced as replace_password_hash does and, in the same
  // transaction, every session but `keep_session` ended; `also` with the change,
  // `if_sessions_ended` only when one ended. How many ended; nothing when the hash changed
  // meanwhile (and nothing was written).
  boost::asio::awaitable<std::optional<std::int64_t>> change_password(
      const std::string& id, const std::string& old_hash, const std::string& new_hash,
      std::int64_t now, const std::string& keep_session, std::vector<Statement> also,
      std::vector<Statement> if_sessions_ended);
  // The address `email` proven for user `id` (a mailed link taken), while it is still the
  // user's; false when it is not (changed since the mail went, or the user is gone).
  boost::asio::awaitable<bool> mark_email_verified(const std::string& id, const std::string& email,
                                                   std::int64_t now,
                                                   std::vector<Statement> also = {});
  // The same as a statement, for the `also` of a reset or an invitation's password.
  static Statement email_verified_statement(const std::string& id, const std::string& email,
                                            std::int64_t now);
  // last_login_at, once a login's session has opened (a later time only).
  boost::asio::awaitable<void> record_login(const std::string& id, std::int64_t now);

 private:
  Database& db_;
};

}  // namespace gh::db
