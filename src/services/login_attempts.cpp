#include "services/login_attempts.hpp"

namespace gh::services {

LoginAttempts::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(other.owner_),
      account_(std::move(other.account_)),
      address_(std::move(other.address_)) {
  other.owner_ = nullptr;
}

LoginAttempts::Ticket::~Ticket() {
  if (owner_ != nullptr) owner_->end(account_, address_);
}

std::string LoginAttempts::account_key(std::string_view account) {
  return "a:" + std::string(account);
}

std::string LoginAttempts::address_key(std::string_view address) {
  return "i:" + std::string(address);
}

std::optional<LoginAttempts::Ticket> LoginAttempts::begin(const std::string& account,
                                                          int account_allows,
                                                          std::string_view address,
                                                          int address_allows) {
  std::string by_account = account_key(account);
  std::string by_address = address_key(address);
  std::lock_guard lock(mutex_);
  const auto count = [this](const std::string& key) {
    const auto found = active_.find(key);
    return found == active_.end() ? 0 : found->second;
  };
  if (count(by_account) >= account_allows || count(by_address) >= address_allows)
    return std::nullopt;
  ++active_[by_account];
  ++active_[by_address];
  return Ticket(*this, std::move(by_account), std::move(by_address));
}

std::size_t LoginAttempts::keys() const {
  std::lock_guard lock(mutex_);
  return active_.size();
}

void LoginAttempts::end(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  for (const std::string* key : {&account, &address}) {
    const auto found = active_.find(*key);
    if (found != active_.end() && --found->second <= 0)
      active_.erase(found);  // no key outlives its logins
  }
}

}  // namespace gh::services
