#pragma once
// User administration: listing, reading, changing and deleting users, and the counts.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "db/session_repository.hpp"
#include "db/user_repository.hpp"
#include "services/crypto/password_hasher.hpp"
#include "services/stats_cache.hpp"

namespace gh::services {

struct UserPage {
  std::vector<models::User> users;
  std::int64_t total = 0;
};

class UserService {
 public:
  UserService(db::UserRepository& users, const Clock& clock, StatsCache& stats)
      : users_(users), clock_(clock), stats_(stats) {}

  boost::asio::awaitable<UserPage> list(std::int64_t skip, std::int64_t limit);
  boost::asio::awaitable<models::User> get(const std::string& id);  // 404 USER_NOT_FOUND
  // 404, 409 EMAIL_TAKEN, 409 LAST_ADMIN. Deactivating or demoting ends the user's
  // sessions (the repository does it in the same transaction).
  boost::asio::awaitable<models::User> update(const std::string& id, models::UserChanges changes);
  boost::asio::awaitable<void> remove(const std::string& id);  // 404, 409 LAST_ADMIN
  boost::asio::awaitable<models::UserCounts> stats();

  // For the CLI: creates an active admin, or promotes (and reactivates) an existing user,
  // whose password becomes the one given and whose sessions end: whoever registered the
  // address before the operator keeps nothing. Returns true when the user was created.
  boost::asio::awaitable<bool> create_admin(const std::string& email, std::string password,
                                            crypto::PasswordHasher& hasher,
                                            db::SessionRepository& sessions);

 private:
  db::UserRepository& users_;
  const Clock& clock_;
  StatsCache& stats_;
};

}  // namespace gh::services
