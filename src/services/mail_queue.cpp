#include "services/mail_queue.hpp"

#include "core/api_error.hpp"
#include "core/uuid.hpp"
#include "db/mail_outbox_repository.hpp"

namespace gh::services {

db::Statement queue_mail(models::MailKind kind, const std::string& recipient,
                         const std::string& user_id, std::int64_t now) {
  const models::OutboxMail mail{
      .id = uuid::v7(now), .kind = kind, .recipient = recipient, .user_id = user_id};
  return db::MailOutboxRepository::enqueue(mail, now);
}

void require_mail(const MailPolicy& policy) {
  if (!policy.available) throw ApiError(ErrorCode::email_unavailable);
}

}  // namespace gh::services
