#include "services/signing_keys.hpp"

#include <sodium.h>

#include "core/api_error.hpp"
#include "core/base64url.hpp"
#include "db/database.hpp"

namespace gh::services {
namespace {

using models::AuditType;
using models::KeyState;

// A conditional UPDATE that changed nothing lost a race with another change to the same key;
// one more try reads the key afresh and answers for its new state.
constexpr int kAttempts = 2;

ApiError changed_meanwhile() {
  return service_unavailable("The key changed while this request ran; try again");
}

bool young(const models::SigningKey& key, std::int64_t now, std::int64_t propagation) {
  return key.created_at > now - propagation;
}

}  // namespace

boost::asio::awaitable<bool> SigningKeys::reload() {
  const auto ticket = ring_.ticket();
  co_return ring_.install(co_await keys_.list(), ticket);
}

boost::asio::awaitable<void> SigningKeys::ensure_active(const std::string& alg) {
  for (const auto& key : co_await keys_.list()) {
    if (key.state == KeyState::active) {
      co_await reload();
      co_return;
    }
  }
  auto key = make_key(alg, KeyState::active);
  key.activated_at = key.created_at;
  const KeyCommand start{.reason = "start"};
  const std::vector events{event(AuditType::key_created, key, start),
                           event(AuditType::key_activated, key, start)};
  auto also = audit_.with_change(events[0]);
  for (auto& s : audit_.with_change(events[1])) also.push_back(std::move(s));
  bool made = true;
  try {
    co_await keys_.insert(key, std::move(also));
  } catch (const db::DbError& e) {
    // Another instance made the first key at the same start: it is the one.
    if (e.kind() != db::DbError::Kind::unique_violation) throw;
    made = false;
  }
  if (made) {
    for (const auto& e : events) audit_.committed(e);
  }
  co_await reload();
}

boost::asio::awaitable<std::vector<models::SigningKey>> SigningKeys::list() {
  co_return co_await keys_.list();
}

boost::asio::awaitable<models::SigningKey> SigningKeys::create(const std::string& alg,
                                                               const KeyCommand& c) {
  auto key = make_key(alg, KeyState::standby);
  const auto created = event(AuditType::key_created, key, c);
  co_await keys_.insert(key, audit_.with_change(created));
  co_await finish({created});
  co_return key;
}

boost::asio::awaitable<models::SigningKey> SigningKeys::activate(const std::string& kid,
                                                                 const KeyCommand& c) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto key = co_await existing(kid);
    if (key.state == KeyState::active) co_return key;
    if (key.state == KeyState::revoked) throw ApiError(ErrorCode::key_revoked);
    const std::int64_t now = clock_.now_micros();
    if (!c.force && young(key, now, options_.propagation_micros))
      throw ApiError(ErrorCode::key_not_propagated);
    std::optional<models::SigningKey> previous;
    for (const auto& k : co_await keys_.list())
      if (k.state == KeyState::active) previous = k;
    const auto activated = event(AuditType::key_activated, key, c);
    std::vector<models::AuditEvent> events{activated};
    std::vector<db::Statement> retired_also;
    if (previous) {
      events.push_back(event(AuditType::key_retired, *previous, c));
      retired_also = audit_.with_change(events.back());
    }
    const std::int64_t published_by = c.force ? now : now - options_.propagation_micros;
    bool activated_now = false;
    try {
      activated_now = co_await keys_.activate(kid, now, published_by, std::move(retired_also),
                                              audit_.with_change(activated));
    } catch (const db::DbError& e) {
      // Another activation committed between this one's retire and its activate (PostgreSQL
      // reads committed rows statement by statement): the one-active index refused the
      // second key. Lost the race, not failed: read afresh and try again.
      if (e.kind() != db::DbError::Kind::unique_violation) throw;
    }
    if (activated_now) {
      co_await finish(events);
      co_return co_await existing(kid);
    }
  }
  throw changed_meanwhile();
}

boost::asio::awaitable<models::SigningKey> SigningKeys::revoke(const std::string& kid,
                                                               const KeyCommand& c) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto key = co_await existing(kid);
    if (key.state == KeyState::revoked) co_return key;
    if (key.state == KeyState::active) throw ApiError(ErrorCode::active_key);
    const std::int64_t now = clock_.now_micros();
    const std::int64_t retired_by = c.force ? now : now - options_.token_lifetime_micros;
    if (key.state == KeyState::retired && key.retired_at.value_or(now) > retired_by)
      throw ApiError(ErrorCode::key_still_in_use);
    const auto revoked = event(AuditType::key_revoked, key, c);
    if (co_await keys_.revoke(kid, now, retired_by, audit_.with_change(revoked))) {
      co_await finish({revoked});
      co_return co_await existing(kid);
    }
  }
  throw changed_meanwhile();
}

boost::asio::awaitable<void> SigningKeys::remove(const std::string& kid, const KeyCommand& c) {
  const auto key = co_await existing(kid);
  if (key.state == KeyState::active) throw ApiError(ErrorCode::active_key);
  if (key.state != KeyState::revoked) throw ApiError(ErrorCode::key_not_revoked);
  const auto deleted = event(AuditType::key_deleted, key, c);
  if (!co_await keys_.remove(kid, audit_.with_change(deleted)))
    throw ApiError(ErrorCode::key_not_found);
  co_await finish({deleted});
}

models::SigningKey SigningKeys::make_key(const std::string& alg, KeyState state) const {
  const auto algorithm = crypto::parse_algorithm(alg);
  if (!algorithm) throw ApiError(ErrorCode::validation_error, "alg must be EdDSA or ES256");
  const auto secret = crypto::PrivateKey::generate(*algorithm);
  const auto pub = secret.public_key();
  models::SigningKey key;
  key.kid = pub.thumbprint();
  key.alg = std::string(crypto::algorithm_name(*algorithm));
  key.state = state;
  key.public_key = base64url_encode(pub.bytes());
  std::string bytes = secret.private_bytes();
  key.sealed_private_key = base64url_encode(sealer_.seal(bytes, key.kid));
  sodium_memzero(bytes.data(), bytes.size());
  key.created_at = clock_.now_micros();
  return key;
}

models::AuditEvent SigningKeys::event(AuditType type, const models::SigningKey& key,
                                      const KeyCommand& c) const {
  auto e = audit_.event_by(type, c.actor, "");
  e.reason = c.reason;
  AuditDetails details;
  details.add("kid", key.kid).add("alg", key.alg);
  if (c.force) details.add("forced", true);
  e.details = details.json();
  return e;
}

boost::asio::awaitable<models::SigningKey> SigningKeys::existing(const std::string& kid) {
  auto key = co_await keys_.find(kid);
  if (!key) throw ApiError(ErrorCode::key_not_found);
  co_return std::move(*key);
}

// The change committed: its events are logged and counted, and this instance's ring takes
// it now rather than at the next refresh.
boost::asio::awaitable<void> SigningKeys::finish(const std::vector<models::AuditEvent>& events) {
  for (const auto& e : events) audit_.committed(e);
  co_await reload();
}

}  // namespace gh::services
