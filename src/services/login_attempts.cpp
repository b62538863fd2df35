#include "services/login_attempts.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace gh::services {

// A login in line: woken on its own io thread, by a post, when a login ahead of it ends.
struct LoginAttempts::Waiter {
  explicit Waiter(const boost::asio::any_io_executor& executor) : timer(executor) {}
  boost::asio::steady_timer timer;
  bool woken = false;  // touched only on the timer's thread
};

LoginAttempts::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(other.owner_), keys_(std::move(other.keys_)) {
  other.owner_ = nullptr;
}

void LoginAttempts::Ticket::release() {
  if (owner_ != nullptr) owner_->end(keys_);
  owner_ = nullptr;
}

LoginAttempts::Ticket LoginAttempts::hold(const Keys& keys) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) ++keys_[key].in_progress;
  return Ticket(*this, keys);
}

boost::asio::awaitable<bool> LoginAttempts::wait_for_release(
    const std::string& key, std::chrono::steady_clock::time_point deadline) {
  auto waiter = std::make_shared<Waiter>(co_await boost::asio::this_coro::executor);
  {
    std::lock_guard lock(mutex_);
    const auto found = keys_.find(key);
    if (found == keys_.end() || found->second.in_progress == 0 ||
        found->second.line.size() >= kMaxWaiters)
      co_return false;
    found->second.line.push_back(waiter);
  }
  waiter->timer.expires_at(deadline);
  co_await waiter->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  if (!waiter->woken) {  // the deadline: out of the line, if no one took it out already
    std::lock_guard lock(mutex_);
    const auto found = keys_.find(key);
    if (found != keys_.end()) {
      std::erase_if(found->second.line, [&](const std::weak_ptr<Waiter>& w) {
        return w.expired() || w.lock() == waiter;
      });
      forget_if_idle(key);
    }
  }
  co_return waiter->woken;
}

std::size_t LoginAttempts::keys() const {
  std::lock_guard lock(mutex_);
  return keys_.size();
}

void LoginAttempts::end(const Keys& keys) {
  std::vector<std::shared_ptr<Waiter>> wake;
  {
    std::lock_guard lock(mutex_);
    for (const auto& key : keys) {
      const auto found = keys_.find(key);
      if (found == keys_.end()) continue;
      --found->second.in_progress;
      // One place may be free: the first still waiting in line tries it.
      while (!found->second.line.empty()) {
        auto waiter = found->second.line.front().lock();
        found->second.line.pop_front();
        if (waiter) {
          wake.push_back(std::move(waiter));
          break;
        }
      }
      forget_if_idle(key);
    }
  }
  for (auto& waiter : wake) {
    boost::asio::post(waiter->timer.get_executor(), [waiter] {
      waiter->woken = true;
      waiter->timer.cancel();
    });
  }
}

void LoginAttempts::forget_if_idle(const std::string& key) {
  const auto found = keys_.find(key);
  if (found != keys_.end() && found->second.in_progress <= 0 && found->second.line.empty())
    keys_.erase(found);  // no key outlives its logins
}

}  // namespace gh::services
