#pragma once
// The signing keys as every request sees them: an immutable snapshot (the active key's
// private half, the published public keys by kid, and the JWKS they make), replaced whole
// when the table changes. A request reads it through a per-thread copy of the pointer that
// is refreshed only when the generation moves, so the hot path costs one atomic load.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/signing_key.hpp"
#include "services/crypto/key_sealer.hpp"
#include "services/crypto/signature.hpp"

namespace gh::services {

struct PublishedKey {
  std::string kid;
  crypto::PublicKey key;
  models::KeyState state;
};

struct ActiveSigner {
  std::string kid;
  crypto::PrivateKey key;
};

struct KeySnapshot {
  std::uint64_t generation = 0;
  std::optional<ActiveSigner> signer;
  std::vector<PublishedKey> published;  // standby, active and retired; never revoked
  std::array<std::int64_t, models::kKeyStateNames.size()> counts{};  // by state, for /metrics
  std::string jwks;                                                  // {"keys": [...]}
  std::string etag;                                                  // quoted, of jwks

  // A published key by kid; null for a revoked or unknown one.
  const PublishedKey* find(std::string_view kid) const;
};

// The public JWK of a key as the JWKS and GET /admin/keys show it: the RFC 7638 members
// plus kid, alg and use.
std::string public_jwk_json(const crypto::PublicKey& key, std::string_view kid);

class KeyRing {
 public:
  // `sealer` opens the active key's private half. `publish`: false in HS256 mode, where the
  // ring counts the table's keys for /metrics but publishes and trusts none of them.
  KeyRing(const crypto::KeySealer& sealer, bool publish);

  // The newest snapshot; cheap (see above). Never null.
  std::shared_ptr<const KeySnapshot> current() const;
  // current()->generation without touching the snapshot's reference count, which every io
  // thread would otherwise bump on every request.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Taken before reading the table, and handed to install() with the rows read. Reads
  // overlap (the periodic refresh and an admin's change), and the one that started first
  // may finish last: its older rows must not undo the newer ones.
  std::uint64_t ticket() { return tickets_.fetch_add(1, std::memory_order_relaxed) + 1; }
  // Builds a snapshot from the table's rows when they differ from the last ones installed
  // and were not read under an older ticket than theirs; true when it did. Throws
  // std::runtime_error when the active key's private half does not open (SECRET_KEY changed
  // since it was sealed) or a public key does not parse.
  bool install(const std::vector<models::SigningKey>& rows, std::uint64_t ticket);

 private:
  std::shared_ptr<const KeySnapshot> build(const std::vector<models::SigningKey>& rows,
                                           std::uint64_t generation) const;

  const crypto::KeySealer& sealer_;
  bool publish_;
  mutable std::mutex mutex_;
  std::shared_ptr<const KeySnapshot> latest_;
  std::string fingerprint_;  // of the rows latest_ was built from
  std::uint64_t installed_ticket_ = 0;
  std::atomic<std::uint64_t> tickets_{0};
  std::atomic<std::uint64_t> generation_;
};

}  // namespace gh::services
