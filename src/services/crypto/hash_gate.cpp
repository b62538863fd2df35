#include "services/crypto/hash_gate.hpp"

#include <algorithm>
#include <chrono>

namespace gh::crypto {

HashGate::HashGate(unsigned threads, std::function<bool()> busy)
    : threads_(threads), busy_(std::move(busy)) {}

unsigned HashGate::allowed() const {
  if (threads_ <= 1 || !busy_) return threads_;
  return busy_() ? threads_ - 1 : threads_;
}

void HashGate::enter() {
  std::unique_lock lock(mutex_);
  // Looked at again every 2 ms: the other work ending frees no one by itself.
  while (running_ >= allowed()) freed_.wait_for(lock, std::chrono::milliseconds(2));
  ++running_;
  most_ = std::max(most_, running_);
}

void HashGate::leave() {
  {
    std::lock_guard lock(mutex_);
    --running_;
  }
  freed_.notify_one();
}

unsigned HashGate::most_at_once() const {
  std::lock_guard lock(mutex_);
  return most_;
}

}  // namespace gh::crypto
