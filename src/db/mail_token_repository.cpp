#include "db/mail_token_repository.hpp"

#include "db/params.hpp"

namespace gh::db {
namespace {

constexpr Query kInsert{"insert_mail_token",
                        "INSERT INTO mail_tokens (token_hash, purpose, user_id, email, created_at, "
                        "expires_at) VALUES ($1, $2, $3, $4, $5, $6)"};

constexpr Query kConsume{"consume_mail_token",
                         "UPDATE mail_tokens SET used_at = $3 WHERE token_hash = $1 "
                         "AND purpose = $2 AND used_at IS NULL AND expires_at > $3 "
                         "RETURNING user_id, email"};

constexpr Query kUsable{"usable_mail_token",
                        "SELECT 1 FROM mail_tokens WHERE token_hash = $1 AND purpose = $2 "
                        "AND used_at IS NULL AND expires_at > $3",
                        {},
                        true};

constexpr Query kPurgeExpired{
    "purge_expired_mail_tokens",
    "DELETE FROM mail_tokens WHERE token_hash IN (SELECT token_hash FROM mail_tokens "
    "WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)",
    "DELETE FROM mail_tokens WHERE token_hash IN (SELECT token_hash FROM mail_tokens "
    "WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"};

}  // namespace

Statement MailTokenRepository::insert(const std::string& token_hash, models::MailKind purpose,
                                      const std::string& user_id, const std::string& email,
                                      std::int64_t now, std::int64_t expires_at) {
  return Statement{&kInsert, params(token_hash, std::string(models::mail_kind_name(purpose)),
                                    user_id, email, now, expires_at)};
}

boost::asio::awaitable<void> MailTokenRepository::add(const std::string& token_hash,
                                                      models::MailKind purpose,
                                                      const std::string& user_id,
                                                      const std::string& email, std::int64_t now,
                                                      std::int64_t expires_at) {
  auto s = insert(token_hash, purpose, user_id, email, now, expires_at);
  co_await db_.execute(*s.query, std::move(s.params));
}

boost::asio::awaitable<std::optional<MailTokenOwner>> MailTokenRepository::consume(
    const std::string& token_hash, models::MailKind purpose, std::int64_t now) {
  auto result = co_await db_.execute(
      kConsume, params(token_hash, std::string(models::mail_kind_name(purpose)), now));
  if (result.rows.empty()) co_return std::nullopt;
  co_return MailTokenOwner{result.rows.front().text(0), result.rows.front().text(1)};
}

boost::asio::awaitable<bool> MailTokenRepository::usable(const std::string& token_hash,
                                                         models::MailKind purpose,
                                                         std::int64_t now) {
  const auto result = co_await db_.execute(
      kUsable, params(token_hash, std::string(models::mail_kind_name(purpose)), now));
  co_return !result.rows.empty();
}

boost::asio::awaitable<std::int64_t> MailTokenRepository::purge_expired(std::int64_t cutoff,
                                                                        std::int64_t limit) {
  co_return (co_await db_.execute(kPurgeExpired, params(cutoff, limit))).affected_rows;
}

}  // namespace gh::db
