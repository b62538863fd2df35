#pragma once
// User administration: listing, reading, changing and deleting users, and the counts.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "models/user_query.hpp"
#include "services/audit_log.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/mail_queue.hpp"
#include "services/user_types.hpp"

namespace gh::services {

class UserService {
 public:
  UserService(db::UserRepository& users, crypto::PasswordHasher& hasher, const Clock& clock,
              AuditLog& audit, MailPolicy mail = {})
      : users_(users), hasher_(hasher), clock_(clock), audit_(audit), mail_(mail) {}

  // A page of users in creation order, with the position of the next page while rows
  // follow it; the total only for an unfiltered walk without a cursor.
  boost::asio::awaitable<models::UserPage> list(models::UserQuery query);
  boost::asio::awaitable<models::User> get(const std::string& id);  // 404 USER_NOT_FOUND
  // An active user with the given role and password; 409 EMAIL_TAKEN. Without a password,
  // an invitation is queued with the user (503 EMAIL_UNAVAILABLE when no mail can go out)
  // and the account has no usable password until it is accepted.
  boost::asio::awaitable<models::User> create(NewUser user, const Actor& admin);
  // 404, 409 EMAIL_TAKEN, 409 LAST_ADMIN. Deactivating or demoting ends the user's
  // sessions (the repository does it in the same transaction). A new email is unverified,
  // and with EMAIL_VERIFICATION on a verification mail to it is queued with the change.
  boost::asio::awaitable<models::User> update(const std::string& id, models::UserChanges changes,
                                              const Actor& admin);
  boost::asio::awaitable<void> remove(const std::string& id, const Actor& admin);  // 404, 409
  boost::asio::awaitable<models::UserCounts> stats();

  // For the CLI: creates an active admin, or promotes (and reactivates) an existing user,
  // whose password becomes the one given and whose sessions end: whoever registered the
  // address before the operator keeps nothing. Returns true when the user was created.
  boost::asio::awaitable<bool> create_admin(const std::string& email, std::string password,
                                            db::SessionRepository& sessions);

 private:
  db::UserRepository& users_;
  crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  AuditLog& audit_;
  MailPolicy mail_;
};

}  // namespace gh::services
