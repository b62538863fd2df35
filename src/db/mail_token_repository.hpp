#pragma once
// The mail_tokens table: the keyed hashes of the tokens in mailed links. A token is spent by
// one conditional UPDATE (unused, unexpired, of this purpose), so of two confirms sent at
// once exactly one succeeds.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"
#include "models/mail.hpp"

namespace gh::db {

struct MailTokenOwner {
  std::string user_id;
  std::string email;  // the address the link was mailed to
};

class MailTokenRepository {
 public:
  explicit MailTokenRepository(Database& db) : db_(db) {}

  // The INSERT of a token's hash, to run in the transaction that sends or records its mail.
  static Statement insert(const std::string& token_hash, models::MailKind purpose,
                          const std::string& user_id, const std::string& email, std::int64_t now,
                          std::int64_t expires_at);
  boost::asio::awaitable<void> add(const std::string& token_hash, models::MailKind purpose,
                                   const std::string& user_id, const std::string& email,
                                   std::int64_t now, std::int64_t expires_at);
  // Spends the token: its owner when it was unused, unexpired at `now` and of `purpose`;
  // nullopt otherwise (and then nothing changed).
  boost::asio::awaitable<std::optional<MailTokenOwner>> consume(const std::string& token_hash,
                                                                models::MailKind purpose,
                                                                std::int64_t now);
  // Whether consume would succeed now, spending nothing: checked before the costly part of a
  // confirm (a password hash), so a guessed token costs the server no hash.
  boost::asio::awaitable<bool> usable(const std::string& token_hash, models::MailKind purpose,
                                      std::int64_t now);
  // Deletes up to `limit` tokens that expired before `cutoff`; how many it deleted.
  boost::asio::awaitable<std::int64_t> purge_expired(std::int64_t cutoff, std::int64_t limit);

 private:
  Database& db_;
};

}  // namespace gh::db
