#include "db/signing_key_repository.hpp"

#include "db/params.hpp"
#include "db/with_change.hpp"

namespace gh::db {
namespace {

constexpr Query kListKeys{"list_signing_keys",
                          "SELECT kid, alg, state, public_key, sealed_private_key, created_at, "
                          "activated_at, retired_at, revoked_at FROM signing_keys "
                          "ORDER BY created_at, kid",
                          {},
                          true};

constexpr Query kFindKey{"find_signing_key",
                         "SELECT kid, alg, state, public_key, sealed_private_key, created_at, "
                         "activated_at, retired_at, revoked_at FROM signing_keys WHERE kid = $1",
                         {},
                         true};

constexpr Query kInsertKey{
    "insert_signing_key",
    "INSERT INTO signing_keys (kid, alg, state, public_key, sealed_private_key, created_at, "
    "activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"};

// Retires the active key, but only when $1 can take its place: standby or retired, published
// since $3 at the latest. Run before the activation, in its transaction, because the unique
// index admits one active row at any moment.
constexpr Query kRetireActive{
    "retire_active_signing_key",
    "UPDATE signing_keys SET state = 'retired', retired_at = $2 WHERE state = 'active' "
    "AND kid <> $1 AND EXISTS (SELECT 1 FROM signing_keys WHERE kid = $1 "
    "AND state IN ('standby', 'retired') AND created_at <= $3)"};

constexpr Query kActivate{"activate_signing_key",
                          "UPDATE signing_keys SET state = 'active', activated_at = $2, "
                          "retired_at = NULL WHERE kid = $1 AND state IN ('standby', 'retired') "
                          "AND created_at <= $3"};

// A retired key's tokens may be unexpired until $3 has passed its retirement; a standby key
// never signed.
constexpr Query kRevoke{
    "revoke_signing_key",
    "UPDATE signing_keys SET state = 'revoked', revoked_at = $2, sealed_private_key = NULL "
    "WHERE kid = $1 AND (state = 'standby' OR (state = 'retired' AND retired_at <= $3))"};

constexpr Query kDelete{"delete_signing_key",
                        "DELETE FROM signing_keys WHERE kid = $1 AND state = 'revoked'"};

std::optional<std::int64_t> optional_time(const Row& row, std::size_t i) {
  if (row.is_null(i)) return std::nullopt;
  return row.integer(i);
}

// A state this build does not know (a newer instance wrote it) reads as revoked: never
// trusted, never published.
models::SigningKey key_from_row(const Row& row) {
  models::SigningKey k;
  k.kid = row.text(0);
  k.alg = row.text(1);
  k.state = models::parse_key_state(row.text(2)).value_or(models::KeyState::revoked);
  k.public_key = row.text(3);
  k.sealed_private_key = row.text_or_empty(4);
  k.created_at = row.integer(5);
  k.activated_at = optional_time(row, 6);
  k.retired_at = optional_time(row, 7);
  k.revoked_at = optional_time(row, 8);
  return k;
}

Value time_or_null(const std::optional<std::int64_t>& t) {
  return t ? Value{*t} : Value{};
}

}  // namespace

boost::asio::awaitable<std::vector<models::SigningKey>> SigningKeyRepository::list() {
  auto result = co_await db_.execute(kListKeys, params());
  std::vector<models::SigningKey> keys;
  keys.reserve(result.rows.size());
  for (const auto& row : result.rows) keys.push_back(key_from_row(row));
  co_return keys;
}

boost::asio::awaitable<std::optional<models::SigningKey>> SigningKeyRepository::find(
    const std::string& kid) {
  auto result = co_await db_.execute(kFindKey, params(kid));
  if (result.rows.empty()) co_return std::nullopt;
  co_return key_from_row(result.rows.front());
}

boost::asio::awaitable<void> SigningKeyRepository::insert(const models::SigningKey& k,
                                                          std::vector<Statement> also) {
  co_await execute_with(
      db_, kInsertKey,
      params(k.kid, k.alg, std::string(models::key_state_name(k.state)), k.public_key,
             text_or_null(k.sealed_private_key), k.created_at, time_or_null(k.activated_at)),
      std::move(also));
}

boost::asio::awaitable<bool> SigningKeyRepository::activate(const std::string& kid,
                                                            std::int64_t now,
                                                            std::int64_t published_by,
                                                            std::vector<Statement> retired_also,
                                                            std::vector<Statement> also) {
  std::vector<Statement> statements;
  statements.push_back(Statement{&kRetireActive, params(kid, now, published_by)});
  statements.push_back(Statement{&kActivate, params(kid, now, published_by)});
  append_if_changed(statements, 0, std::move(retired_also));
  append_if_changed(statements, 1, std::move(also));
  auto results = co_await db_.execute_in_transaction(std::move(statements));
  co_return results.at(1).affected_rows > 0;
}

boost::asio::awaitable<bool> SigningKeyRepository::revoke(const std::string& kid, std::int64_t now,
                                                          std::int64_t retired_by,
                                                          std::vector<Statement> also) {
  auto result = co_await execute_with(db_, kRevoke, params(kid, now, retired_by), std::move(also));
  co_return result.affected_rows > 0;
}

boost::asio::awaitable<bool> SigningKeyRepository::remove(const std::string& kid,
                                                          std::vector<Statement> also) {
  auto result = co_await execute_with(db_, kDelete, params(kid), std::move(also));
  co_return result.affected_rows > 0;
}

}  // namespace gh::db
