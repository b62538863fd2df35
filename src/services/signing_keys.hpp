#pragma once
// The signing keys' life (API.md part two, "Signing keys"): made, activated, retired, revoked
// and deleted, each change audited in its transaction and installed in this instance's ring
// at once (the other instances see it within KEYS_REFRESH_SECONDS, jobs/key_refresh). The
// guards: a key signs only once verifiers have had time to fetch it (KEY_NOT_PROPAGATED), a
// key is revoked only once its tokens have expired (KEY_STILL_IN_USE), and the active key is
// never revoked (ACTIVE_KEY); `force` lifts the first two, never the third.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/signing_key_repository.hpp"
#include "models/signing_key.hpp"
#include "services/audit_log.hpp"
#include "services/crypto/key_sealer.hpp"
#include "services/key_ring.hpp"

namespace gh::services {

struct SigningKeyOptions {
  std::int64_t propagation_micros = 0;     // KEY_PROPAGATION_SECONDS
  std::int64_t token_lifetime_micros = 0;  // an access token's lifetime plus the leeway
};

// Who asks, and whether the time guards are lifted. `reason` is the audit event's: empty for
// an admin's request, "cli" for the operator's `gatehouse keys`, "start" for the first key.
struct KeyCommand {
  Actor actor;
  bool force = false;
  std::string reason;
};

class SigningKeys {
 public:
  SigningKeys(db::SigningKeyRepository& keys, KeyRing& ring, const crypto::KeySealer& sealer,
              const Clock& clock, AuditLog& audit, SigningKeyOptions options)
      : keys_(keys),
        ring_(ring),
        sealer_(sealer),
        clock_(clock),
        audit_(audit),
        options_(options) {}

  // Reads the table into the ring; true when it changed.
  boost::asio::awaitable<bool> reload();
  // The first start in an asymmetric mode: makes and activates a key of `alg` when none is
  // active (another instance doing the same at once wins or loses cleanly), then reloads.
  boost::asio::awaitable<void> ensure_active(const std::string& alg);

  boost::asio::awaitable<std::vector<models::SigningKey>> list();
  // A new standby key. `alg` must be "EdDSA" or "ES256" (the caller validated it).
  boost::asio::awaitable<models::SigningKey> create(const std::string& alg, const KeyCommand& c);
  boost::asio::awaitable<models::SigningKey> activate(const std::string& kid, const KeyCommand& c);
  boost::asio::awaitable<models::SigningKey> revoke(const std::string& kid, const KeyCommand& c);
  boost::asio::awaitable<void> remove(const std::string& kid, const KeyCommand& c);

 private:
  models::SigningKey make_key(const std::string& alg, models::KeyState state) const;
  models::AuditEvent event(models::AuditType type, const models::SigningKey& key,
                           const KeyCommand& c) const;
  boost::asio::awaitable<models::SigningKey> existing(const std::string& kid);
  boost::asio::awaitable<void> finish(const std::vector<models::AuditEvent>& events);

  db::SigningKeyRepository& keys_;
  KeyRing& ring_;
  const crypto::KeySealer& sealer_;
  const Clock& clock_;
  AuditLog& audit_;
  SigningKeyOptions options_;
};

}  // namespace gh::services
