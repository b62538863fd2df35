#include "db/mail_outbox_repository.hpp"

#include "db/params.hpp"

namespace gh::db {
namespace {

constexpr Query kEnqueue{
    "enqueue_mail",
    "INSERT INTO mail_outbox (id, kind, recipient, user_id, state, attempts, created_at, "
    "next_attempt_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5)"};

// Due, and not under another worker's live lease. PostgreSQL skips the rows another
// instance's claim holds locked, so two workers never take the same mail.
constexpr Query kClaim{
    "claim_mail",
    "UPDATE mail_outbox SET lease_until = $2, attempts = attempts + 1 WHERE id IN "
    "(SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= $1 "
    "AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at LIMIT $3) "
    "RETURNING id, kind, recipient, user_id, attempts, created_at",
    "UPDATE mail_outbox SET lease_until = $2, attempts = attempts + 1 WHERE id IN "
    "(SELECT id FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= $1 "
    "AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt_at LIMIT $3 "
    "FOR UPDATE SKIP LOCKED) "
    "RETURNING id, kind, recipient, user_id, attempts, created_at"};

constexpr Query kFinish{"finish_mail",
                        "UPDATE mail_outbox SET state = $2, finished_at = $3, lease_until = NULL, "
                        "last_error = $4 WHERE id = $1 AND state = 'queued'"};

constexpr Query kRetryAt{"retry_mail",
                         "UPDATE mail_outbox SET next_attempt_at = $2, lease_until = NULL, "
                         "last_error = $3 WHERE id = $1 AND state = 'queued'"};

constexpr Query kCountByState{
    "count_mail_by_state", "SELECT state, COUNT(*) FROM mail_outbox GROUP BY state", {}, true};

constexpr Query kSentSince{"count_mail_sent_since",
                           "SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 "
                           "AND state = 'sent' AND finished_at >= $2",
                           {},
                           true};

constexpr Query kPurgeFinished{
    "purge_finished_mail",
    "DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox WHERE state <> 'queued' "
    "AND finished_at < $1 ORDER BY finished_at LIMIT $2)",
    "DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox WHERE state <> 'queued' "
    "AND finished_at < $1 ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)"};

// A kind this build does not know (a newer instance wrote it) is never claimed by it: the
// claim reads it as a reset of nobody, which the worker skips.
models::OutboxMail mail_from_row(const Row& row) {
  models::OutboxMail m;
  m.id = row.text(0);
  m.kind = models::parse_mail_kind(row.text(1)).value_or(models::MailKind::password_reset);
  m.recipient = row.text(2);
  m.user_id = row.text_or_empty(3);
  m.attempts = static_cast<int>(row.integer(4));
  m.created_at = row.integer(5);
  return m;
}

}  // namespace

Statement MailOutboxRepository::enqueue(const models::OutboxMail& m, std::int64_t now) {
  return Statement{&kEnqueue, params(m.id, std::string(models::mail_kind_name(m.kind)), m.recipient,
                                     text_or_null(m.user_id), now)};
}

boost::asio::awaitable<void> MailOutboxRepository::add(const models::OutboxMail& mail,
                                                       std::int64_t now) {
  auto s = enqueue(mail, now);
  co_await db_.execute(*s.query, std::move(s.params));
}

boost::asio::awaitable<std::vector<models::OutboxMail>> MailOutboxRepository::claim(
    std::int64_t now, std::int64_t lease_until, int limit) {
  auto result = co_await db_.execute(kClaim, params(now, lease_until, std::int64_t{limit}));
  std::vector<models::OutboxMail> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(mail_from_row(row));
  co_return out;
}

boost::asio::awaitable<void> MailOutboxRepository::finish(const std::string& id,
                                                          models::MailState state, std::int64_t now,
                                                          const std::string& error) {
  co_await db_.execute(
      kFinish, params(id, std::string(models::mail_state_name(state)), now, text_or_null(error)));
}

boost::asio::awaitable<void> MailOutboxRepository::retry_at(const std::string& id,
                                                            std::int64_t next_attempt_at,
                                                            const std::string& error) {
  co_await db_.execute(kRetryAt, params(id, next_attempt_at, text_or_null(error)));
}

boost::asio::awaitable<std::array<std::int64_t, 4>> MailOutboxRepository::count_by_state() {
  auto result = co_await db_.execute(kCountByState, params());
  std::array<std::int64_t, 4> counts{};
  for (const auto& row : result.rows)
    for (std::size_t i = 0; i < models::kMailStateNames.size(); ++i)
      if (row.text(0) == models::kMailStateNames[i]) counts[i] = row.integer(1);
  co_return counts;
}

boost::asio::awaitable<std::int64_t> MailOutboxRepository::purge_finished(std::int64_t cutoff,
                                                                          std::int64_t limit) {
  co_return (co_await db_.execute(kPurgeFinished, params(cutoff, limit))).affected_rows;
}

boost::asio::awaitable<std::int64_t> MailOutboxRepository::sent_since(const std::string& recipient,
                                                                      std::int64_t since) {
  const auto result = co_await db_.execute(kSentSince, params(recipient, since));
  co_return result.rows.empty() ? 0 : result.rows.front().integer(0);
}

}  // namespace gh::db
