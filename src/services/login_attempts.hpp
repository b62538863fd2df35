#pragma once
// Logins in progress in this process, per account and per client address. A failed login is
// counted only after its Argon2id verify, so without this, K logins at once for one account
// all passed the throttle before the first of them failed: K guesses where the limit allows
// five. A login in progress counts against what the throttle still allows, as if it were
// going to fail. Thread-safe: every io thread logs users in.
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gh::services {

class LoginAttempts {
 public:
  // Holds an account's and an address's place until the login is over.
  class Ticket {
   public:
    Ticket(LoginAttempts& owner, std::string account, std::string address)
        : owner_(&owner), account_(std::move(account)), address_(std::move(address)) {}
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();

   private:
    LoginAttempts* owner_;
    std::string account_;
    std::string address_;
  };

  // A ticket while fewer logins are in progress for the account than it may still fail
  // (`account_allows`), and likewise for the address; none when either has no room left.
  std::optional<Ticket> begin(const std::string& account, int account_allows,
                              std::string_view address, int address_allows);
  // Accounts and addresses with a login in progress: none once every login is over.
  std::size_t keys() const;

 private:
  static std::string account_key(std::string_view account);
  static std::string address_key(std::string_view address);
  void end(const std::string& account, const std::string& address);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, int> active_;  // "a:" account or "i:" address -> count
};

}  // namespace gh::services
