#pragma once
// Open connections per client address, against MAX_CONNECTIONS_PER_ADDRESS: without a cap,
// one address could hold every connection up to MAX_CONNECTIONS and shut everyone else out.
// Counted by the socket's peer (grouped as the limits group it: an IPv6 client holds a
// whole /64), shared by every io thread. Thread-safe.
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gh::http {

class AddressSlots {
 public:
  explicit AddressSlots(std::size_t per_address) : per_address_(per_address) {}

  // True, and one slot taken, while `key` holds fewer than the cap (always with no cap);
  // each true is matched by one release(key).
  bool take(const std::string& key);
  void release(const std::string& key);
  // Addresses holding a slot now: none once every connection has closed.
  std::size_t addresses() const;

 private:
  const std::size_t per_address_;  // 0: no cap
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

}  // namespace gh::http
