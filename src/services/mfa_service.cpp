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

// Ends every session of `cause`'s subject, as `cause`'s actor, with `reason`.
boost::asio::awaitable<void> end_sessions(MfaDeps& d, const models::AuditEvent& cause,
                                          std::string reason) {
  auto ended = cause;
  ended.id = uuid::v7(cause.occurred_at);
  ended.type = models::AuditType::session_ended;
  ended.session_id.clear();
  ended.reason = std::move(reason);
  ended.details = "{}";
  if (co_await d.sessions.revoke_all_for_user(cause.subject_user_id, d.clock.now_micros(),
                                              d.audit.with_change(ended)) > 0)
    d.audit.committed(ended);
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
  const std::int64_t now = d_.clock.now_micros();
  const auto step = crypto::totp_match(open_seed(*factor), code, crypto::totp_step(now / 1'000'000),
                                       factor->last_used_step);
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
  co_await end_sessions(d_, enrolled, "mfa_enabled");
  out.pair = co_await d_.auth.open_session(who.user, from, 2);
  co_return out;
}

boost::asio::awaitable<std::vector<std::string>> MfaService::regenerate_recovery_codes(
    const Principal& who, const ClientInfo& from) {
  const auto factor = co_await d_.mfa.find(who.user.id);
  if (!factor || !factor->enabled) throw ApiError(ErrorCode::mfa_factor_not_found);
  std::vector<std::string> hashes;
  auto codes = new_recovery_codes(hashes);
  auto event = d_.audit.event(models::AuditType::mfa_recovery_codes_regenerated,
                              models::AuditOutcome::success, from);
  event.actor_id = event.subject_user_id = who.user.id;
  event.session_id = who.session_id;
  co_await d_.mfa.replace_recovery_codes(who.user.id, hashes, d_.audit.with_change(event));
  d_.audit.committed(event);
  co_return codes;
}

// The caller is at aal2 already; the code proves the device is still in hand, so a stolen
// session alone cannot strip the account's second factor.
boost::asio::awaitable<void> MfaService::disable(const Principal& who, const std::string& code,
                                                 std::string_view client, const ClientInfo& from) {
  if (!co_await d_.auth.second_factor_guess(who.user, client, from,
                                            [&]() -> boost::asio::awaitable<bool> {
                                              co_return co_await take_code(who.user.id, code);
                                            }))
    throw ApiError(ErrorCode::invalid_code);
  auto event = d_.audit.event(models::AuditType::mfa_disabled, models::AuditOutcome::success, from);
  event.actor_id = event.subject_user_id = who.user.id;
  event.session_id = who.session_id;
  event.reason = "self";
  if (co_await d_.mfa.remove(who.user.id, d_.audit.with_change(event))) d_.audit.committed(event);
}

boost::asio::awaitable<void> MfaService::reset(const Actor& admin, const std::string& user_id) {
  if (!co_await d_.users.find_by_id(user_id)) throw ApiError(ErrorCode::user_not_found);
  auto event = d_.audit.event_by(models::AuditType::mfa_disabled, admin, user_id);
  event.reason = "admin_reset";
  if (co_await d_.mfa.remove(user_id, d_.audit.with_change(event))) d_.audit.committed(event);
  // Sessions signed in with the factor end too: whoever asked for the reset (perhaps not the
  // owner) starts from the password again.
  co_await end_sessions(d_, event, "mfa_reset");
}

boost::asio::awaitable<std::optional<std::string>> MfaService::enabled_seed(
    const std::string& user_id) {
  const auto factor = co_await d_.mfa.find(user_id);
  if (!factor || !factor->enabled) co_return std::nullopt;
  co_return open_seed(*factor);
}

boost::asio::awaitable<bool> MfaService::take_code(const std::string& user_id,
                                                   std::string_view code) {
  const auto factor = co_await d_.mfa.find(user_id);
  if (!factor || !factor->enabled) co_return false;
  const auto step = crypto::totp_match(open_seed(*factor), code,
                                       crypto::totp_step(d_.clock.now_micros() / 1'000'000),
                                       factor->last_used_step);
  // Of two uses of one code at once, the conditional UPDATE lets one through.
  co_return step&& co_await d_.mfa.use_step(user_id, *step);
}

std::string MfaService::open_seed(const db::MfaFactor& factor) const {
  const auto sealed = base64url_decode(factor.sealed_secret);
  auto seed = sealed ? d_.sealer.open(*sealed, factor.user_id) : std::nullopt;
  if (!seed) throw std::runtime_error("a TOTP seed does not open under this SECRET_KEY");
  return std::move(*seed);
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
