#pragma once
// The signing_keys table. Every transition is one conditional UPDATE whose WHERE clause holds
// the rule it obeys (the state it leaves, how long the key has been published, how long ago
// it last signed), so two admins, or two instances, acting at once cannot break one: the
// loser changes no row and the service says why from a fresh read.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "models/signing_key.hpp"

namespace gh::db {

class SigningKeyRepository {
 public:
  explicit SigningKeyRepository(Database& db) : db_(db) {}

  // Every key, oldest first (a handful: the table holds what an operator rotates through).
  boost::asio::awaitable<std::vector<models::SigningKey>> list();
  boost::asio::awaitable<std::optional<models::SigningKey>> find(const std::string& kid);
  // Inserts `key` with `also`; throws DbError unique_violation when it is active and another
  // key already is (another instance made the first key at the same start).
  boost::asio::awaitable<void> insert(const models::SigningKey& key, std::vector<Statement> also);
  // Makes `kid` (standby or retired, created at or before `published_by`) the active key and
  // retires the one that was. `retired_also` runs when a key was retired, `also` when `kid`
  // was activated. False when `kid` was not in a state to activate.
  boost::asio::awaitable<bool> activate(const std::string& kid, std::int64_t now,
                                        std::int64_t published_by,
                                        std::vector<Statement> retired_also,
                                        std::vector<Statement> also);
  // Revokes `kid` (standby, or retired at or before `retired_by`) and drops its private half.
  boost::asio::awaitable<bool> revoke(const std::string& kid, std::int64_t now,
                                      std::int64_t retired_by, std::vector<Statement> also);
  // Deletes `kid` if it is revoked.
  boost::asio::awaitable<bool> remove(const std::string& kid, std::vector<Statement> also);

 private:
  Database& db_;
};

}  // namespace gh::db
