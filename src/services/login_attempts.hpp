#pragma once
// Logins in progress in this process, per throttle key (the account and address pair, the
// account, the address), and the logins queued behind them. A login takes its failure from
// each throttle before its password check and gives it back if the password was right
// (AuthService), so guesses sent at once get no more checks than the budget, in one process
// or many. A login refused only because the rest of the budget is held by logins in progress
// here waits in line for one of them to end instead of being refused: the owner's own logins
// sent at once (tabs, workers) all succeed in turn. Thread-safe: every io thread logs users in.
#include <array>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gh::services {

class LoginAttempts {
 public:
  static constexpr std::size_t kKeys = 3;
  // Logins that may wait behind one key at once; more are refused at once, so a flood of
  // logins cannot park without bound.
  static constexpr std::size_t kMaxWaiters = 64;
  using Keys = std::array<std::string, kKeys>;

  // Marks a login in progress under each key until it is destroyed (or released).
  class Ticket {
   public:
    Ticket(LoginAttempts& owner, Keys keys) : owner_(&owner), keys_(std::move(keys)) {}
    Ticket(Ticket&& other) noexcept;
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket() { release(); }
    void release();

   private:
    LoginAttempts* owner_;
    Keys keys_;
  };

  Ticket hold(const Keys& keys);
  // Waits for a login in progress under `key` to end, first come first served. False at
  // once when none is in progress here (what holds the budget is spent, or another
  // instance's) or the line is full, and false when `deadline` passes first.
  boost::asio::awaitable<bool> wait_for_release(const std::string& key,
                                                std::chrono::steady_clock::time_point deadline);
  // Keys with a login in progress or waiting: none once every login is over.
  std::size_t keys() const;

 private:
  struct Waiter;
  struct Key {
    int in_progress = 0;
    // Weak: a waiter belongs to its coroutine, which an io_context going away may destroy.
    std::deque<std::weak_ptr<Waiter>> line;
  };
  void end(const Keys& keys);
  void forget_if_idle(const std::string& key);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Key> keys_;
};

}  // namespace gh::services
