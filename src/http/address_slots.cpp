#include "http/address_slots.hpp"

namespace gh::http {

bool AddressSlots::take(const std::string& key) {
  if (per_address_ == 0) return true;
  std::lock_guard lock(mutex_);
  std::size_t& open = open_[key];
  if (open >= per_address_) return false;  // never 0 here: a new key's slot is taken below
  ++open;
  return true;
}

void AddressSlots::release(const std::string& key) {
  if (per_address_ == 0) return;
  std::lock_guard lock(mutex_);
  const auto found = open_.find(key);
  if (found != open_.end() && --found->second == 0) open_.erase(found);
}

std::size_t AddressSlots::addresses() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

}  // namespace gh::http
