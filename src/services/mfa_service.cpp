#include "services/mfa_service.hpp"

#include <sodium.h>

#include "core/api_error.hpp"
#include "core/base64url.hpp"
#include "core/uuid.hpp"
#include "services/crypto/totp.hpp"
#include "services/qr_svg.hpp"

namespace gh::services {
namespace {

constexpr std::size_t kSeedBytes = 20;  // 160 bits, RFC 4226's recommendation for HMAC-SHA1
constexpr int kRecoveryCodes = 10;

// RFC 3986 percent-encoding of a label or parameter (unreserved characters kept).
std::string uri_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

}  // namespace

boost::asio::awaitable<Enrollment> MfaService::enroll(const Principal& who) {
  const std::string seed = random_bytes(kSeedBytes);
  const std::string sealed = base64url_encode(d_.sealer.seal(seed, who.user.id));
  if (!co_await d_.mfa.put_pending(who.user.id, sealed, d_.clock.now_micros()))
    throw ApiError(ErrorCode::mfa_already_enabled);
  Enrollment e;
  e.secret = crypto::base32_encode(seed);
  // Key URI Format (Google Authenticator's, which every authenticator app reads).
  e.otpauth_uri = "otpauth://totp/" + uri_escape(d_.issuer) + ":" + uri_escape(who.user.email) +
                  "?secret=" + e.secret + "&issuer=" + uri_escape(d_.issuer) +
                  "&algorithm=SHA1&digits=6&period=30";
  e.qr_svg = qr_svg(e.otpauth_uri);
  co_return e;
}

boost::asio::awaitable<Confirmation> MfaService::confirm(const Principal& who,
                                                         const std::string& code,
                                                         const ClientInfo& from) {
  const auto factor = co_await d_.mfa.find(who.user.id);
  if (!factor || factor->enabled) throw ApiError(ErrorCode::mfa_factor_not_found);
  const auto sealed = base64url_decode(factor->sealed_secret);
  const auto seed = sealed ? d_.sealer.open(*sealed, who.user.id) : std::nullopt;
  if (!seed) throw std::runtime_error("a TOTP seed does not open under this SECRET_KEY");
  const std::int64_t now = d_.clock.now_micros();
  const auto step =
      crypto::totp_match(*seed, code, crypto::totp_step(now / 1'000'000), factor->last_used_step);
  if (!step) throw ApiError(ErrorCode::invalid_code);
  std::vector<std::string> hashes;
  Confirmation out;
  out.recovery_codes = new_recovery_codes(hashes);
  auto enrolled =
      d_.audit.event(models::AuditType::mfa_enrolled, models::AuditOutcome::success, from);
  enrolled.actor_id = enrolled.subject_user_id = who.user.id;
  enrolled.session_id = who.session_id;
  if (!co_await d_.mfa.enable(who.user.id, *step, now, hashes, d_.audit.with_change(enrolled)))
    throw ApiError(ErrorCode::invalid_code);  // confirmed meanwhile, or replaced
  d_.audit.committed(enrolled);
  // Every session started without the factor ends; the caller goes on at aal2.
  auto ended = enrolled;
  ended.id = uuid::v7(enrolled.occurred_at);
  ended.type = models::AuditType::session_ended;
  ended.session_id.clear();
  ended.reason = "mfa_enabled";
  if (co_await d_.sessions.revoke_all_for_user(who.user.id, now, d_.audit.with_change(ended)) > 0)
    d_.audit.committed(ended);
  out.pair = co_await d_.auth.open_session(who.user, from, 2);
  co_return out;
}

// "xxxxx-xxxxx" from base32's alphabet (no 0/O, 1/I confusion): 50 bits each, hashed under
// a key of their own purpose before they are stored.
std::vector<std::string> MfaService::new_recovery_codes(std::vector<std::string>& hashes) const {
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    std::string code = crypto::base32_encode(random_bytes(7)).substr(0, 10);
    for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    code.insert(5, "-");
    hashes.push_back(d_.code_hasher.hash(code));
    codes.push_back(std::move(code));
  }
  return codes;
}

}  // namespace gh::services
