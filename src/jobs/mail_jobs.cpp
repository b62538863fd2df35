#include "jobs/mail_jobs.hpp"

namespace gh::jobs {
namespace {

std::unique_ptr<mail::Mailer> make_mailer(const MailJobOptions& o) {
  if (o.smtp_url.empty()) return std::make_unique<mail::LogMailer>();
  return std::make_unique<mail::SmtpMailer>(
      mail::SmtpOptions{.url = o.smtp_url, .from = o.mail_from});
}

}  // namespace

MailJobs::MailJobs(MailJobDeps d, const MailJobOptions& o)
    : outbox_(d.work),
      tokens_(d.work),
      users_(d.work),
      purged_outbox_(d.purge),
      purged_tokens_(d.purge),
      templates_(o.templates_dir),
      mailer_(make_mailer(o)),
      delivery_(
          {outbox_, tokens_, users_, d.hasher, templates_, *mailer_, d.clock, d.stats, &d.audit},
          o.delivery),
      worker_(delivery_, outbox_, d.stats, o.poll),
      purge_(
          "mail",
          [this](std::int64_t cutoff, std::int64_t limit) -> boost::asio::awaitable<std::int64_t> {
            const std::int64_t mails = co_await purged_outbox_.purge_finished(cutoff, limit);
            co_return mails + co_await purged_tokens_.purge_expired(cutoff, limit);
          },
          d.clock, o.purge, d.purge_stats),
      purging_(o.purge.interval.count() > 0) {}

void MailJobs::start() {
  worker_.start();
  if (purging_) purge_.start();
}

void MailJobs::stop() {
  worker_.stop();
  purge_.stop();
}

}  // namespace gh::jobs
