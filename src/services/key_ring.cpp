#include "services/key_ring.hpp"

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "core/base64url.hpp"

namespace gh::services {
namespace {

// Generations are unique across rings, so a thread's cached pointer from one ring is never
// taken for another's.
std::atomic<std::uint64_t> next_generation{1};

struct ThreadView {
  const void* ring = nullptr;
  std::uint64_t generation = 0;
  std::shared_ptr<const KeySnapshot> snapshot;
};

// Everything the snapshot is built from, so an unchanged table is not rebuilt every
// KEYS_REFRESH_SECONDS (and the verified-token memory keyed on the generation survives).
std::string fingerprint(const std::vector<models::SigningKey>& rows) {
  std::string out;
  for (const auto& k : rows) {
    out += k.kid + '|' + std::string(models::key_state_name(k.state)) + '|' +
           std::to_string(k.activated_at.value_or(0)) + '|' +
           std::to_string(k.retired_at.value_or(0)) + ';';
  }
  return out;
}

std::string etag_of(std::string_view body) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  char hex[2 * 16 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, 16);
  return "\"" + std::string(hex) + "\"";
}

crypto::KeyAlgorithm algorithm_of(const models::SigningKey& k) {
  const auto alg = crypto::parse_algorithm(k.alg);
  if (!alg) throw std::runtime_error("signing key " + k.kid + " has an unknown algorithm");
  return *alg;
}

crypto::PublicKey public_key_of(const models::SigningKey& k) {
  const auto bytes = base64url_decode(k.public_key);
  auto key = bytes ? crypto::PublicKey::from_bytes(algorithm_of(k), *bytes) : std::nullopt;
  if (!key) throw std::runtime_error("signing key " + k.kid + " has an unreadable public key");
  return *key;
}

ActiveSigner open_signer(const models::SigningKey& k, const crypto::KeySealer& sealer) {
  const auto sealed = base64url_decode(k.sealed_private_key);
  auto secret = sealed ? sealer.open(*sealed, k.kid) : std::nullopt;
  if (!secret)
    throw std::runtime_error("the active signing key " + k.kid +
                             " does not open: was SECRET_KEY changed since it was made?");
  auto key = crypto::PrivateKey::from_bytes(algorithm_of(k), *secret);
  sodium_memzero(secret->data(), secret->size());
  if (!key) throw std::runtime_error("the active signing key " + k.kid + " is unreadable");
  return ActiveSigner{k.kid, std::move(*key)};
}

}  // namespace

const PublishedKey* KeySnapshot::find(std::string_view kid) const {
  for (const auto& k : published)
    if (k.kid == kid) return &k;
  return nullptr;
}

std::string public_jwk_json(const crypto::PublicKey& key, std::string_view kid) {
  auto jwk = boost::json::parse(key.canonical_jwk()).as_object();
  jwk["kid"] = kid;
  jwk["alg"] = crypto::algorithm_name(key.algorithm());
  jwk["use"] = "sig";
  return boost::json::serialize(jwk);
}

KeyRing::KeyRing(const crypto::KeySealer& sealer, bool publish)
    : sealer_(sealer),
      publish_(publish),
      latest_(build({}, next_generation.fetch_add(1))),
      generation_(latest_->generation) {}

std::shared_ptr<const KeySnapshot> KeyRing::current() const {
  thread_local ThreadView view;
  const std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (view.ring != this || view.generation != generation) {
    std::lock_guard lock(mutex_);
    view = ThreadView{this, latest_->generation, latest_};
  }
  return view.snapshot;
}

bool KeyRing::install(const std::vector<models::SigningKey>& rows, std::uint64_t ticket) {
  std::string print = fingerprint(rows);
  std::lock_guard lock(mutex_);
  if (ticket < installed_ticket_) return false;
  if (print == fingerprint_) {
    installed_ticket_ = ticket;
    return false;
  }
  latest_ = build(rows, next_generation.fetch_add(1));
  installed_ticket_ = ticket;
  fingerprint_ = std::move(print);
  generation_.store(latest_->generation, std::memory_order_release);
  return true;
}

std::shared_ptr<const KeySnapshot> KeyRing::build(const std::vector<models::SigningKey>& rows,
                                                  std::uint64_t generation) const {
  auto snap = std::make_shared<KeySnapshot>();
  snap->generation = generation;
  std::string keys;
  for (const auto& k : rows) {
    ++snap->counts[static_cast<std::size_t>(k.state)];
    if (!publish_ || !models::is_published(k.state)) continue;
    auto key = public_key_of(k);
    if (k.state == models::KeyState::active) snap->signer = open_signer(k, sealer_);
    keys += (keys.empty() ? "" : ",") + public_jwk_json(key, k.kid);
    snap->published.push_back(PublishedKey{k.kid, std::move(key), k.state});
  }
  snap->jwks = "{\"keys\":[" + keys + "]}";
  snap->etag = etag_of(snap->jwks);
  return snap;
}

}  // namespace gh::services
