#include "mail/smtp_sender.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <stdexcept>

#include "mail/message.hpp"

namespace gh::mail {
namespace {

struct Upload {
  std::string_view rest;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->rest.size());
  upload->rest.copy(buffer, n);
  upload->rest.remove_prefix(n);
  return n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// What the failure means for the mail: a 5xx reply is the server's final word; anything
// else (no reply, a 4xx, a timeout, a TLS failure) may pass.
SendResult failure(CURLcode code, long smtp_code, const char* detail) {
  SendResult r;
  r.delivery = smtp_code >= 500 && smtp_code < 600 ? Delivery::rejected : Delivery::retry;
  r.reason = (smtp_code ? "SMTP " + std::to_string(smtp_code) + ": " : std::string()) +
             (detail && *detail ? detail : curl_easy_strerror(code));
  return r;
}

}  // namespace

SmtpSender::SmtpSender(SmtpOptions options)
    : options_(std::move(options)), envelope_from_(address_of(options_.from)) {
  global_init();
  if (envelope_from_.empty()) throw std::invalid_argument("MAIL_FROM holds no address");
}

SendResult SmtpSender::send(std::string_view to, std::string_view message) const {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {Delivery::retry, "libcurl could not start"};
  const std::string rcpt = "<" + std::string(to) + ">";
  std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, rcpt.c_str()));
  const std::string mail_from = "<" + envelope_from_ + ">";
  Upload upload{message};
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS when an smtp:// server offers it; smtps:// is TLS from the first byte.
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_chunk);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(c);
  long smtp_code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
  if (code == CURLE_OK) return {Delivery::sent, "SMTP " + std::to_string(smtp_code)};
  return failure(code, smtp_code, error);
}

}  // namespace gh::mail
