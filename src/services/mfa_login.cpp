// The login's second step (POST /auth/mfa/verify): the mfa_token of a login whose password was
// right, and a TOTP code or a recovery code.
#include <cctype>

#include "core/api_error.hpp"
#include "services/mfa_service.hpp"

namespace gh::services {
namespace {

// API.md: an mfa_token takes 5 codes; the sixth is refused whatever the code.
constexpr int kChallengeTries = 5;

// People type recovery codes in capitals, with spaces or without the dash: all read as the
// "xxxxx-xxxxx" that was hashed.
std::string normal_recovery_code(std::string_view typed) {
  std::string code;
  for (unsigned char c : typed)
    if (std::isalnum(c)) code.push_back(static_cast<char>(std::tolower(c)));
  if (code.size() == 10) code.insert(5, "-");
  return code;
}

}  // namespace

// The try is counted on the mfa_token before anything else, so a token's budget holds
// whatever the account's throttle says; then the code is a guess under the login throttles,
// and the token is spent only by a right one (of two right ones at once, one wins).
boost::asio::awaitable<TokenPair> MfaService::verify(const SecondStep& step,
                                                     std::string_view client,
                                                     const ClientInfo& from) {
  const std::string token_hash = d_.challenge_hasher.hash(step.mfa_token);
  const std::int64_t now = d_.clock.now_micros();
  const auto tried = co_await d_.mfa.try_challenge(token_hash, now, kChallengeTries);
  if (!tried) throw ApiError(ErrorCode::invalid_token);
  auto user = co_await d_.users.find_by_id(tried->user_id);
  // Deactivated, deleted or reset meanwhile: the first step no longer stands.
  if (!user || !user->is_active || !user->mfa_enabled) throw ApiError(ErrorCode::invalid_token);
  const bool recovery = step.code.empty();
  const bool right = co_await d_.auth.second_factor_guess(
      *user, client, from, [&]() -> boost::asio::awaitable<bool> {
        if (recovery) co_return co_await take_recovery_code(*user, step.recovery_code, from);
        co_return co_await take_code(user->id, step.code);
      });
  if (!right) {
    auto failed =
        d_.audit.event(models::AuditType::mfa_challenge, models::AuditOutcome::failure, from);
    failed.subject_user_id = user->id;
    failed.reason = recovery ? "wrong_recovery_code" : "wrong_code";
    d_.audit.failed(std::move(failed));
    throw ApiError(ErrorCode::mfa_code_rejected);
  }
  if (!co_await d_.mfa.spend_challenge(token_hash, d_.clock.now_micros()))
    throw ApiError(ErrorCode::invalid_token);
  co_return co_await d_.auth.open_session(*user, from, 2);
}

boost::asio::awaitable<bool> MfaService::take_recovery_code(const models::User& user,
                                                            std::string_view recovery_code,
                                                            const ClientInfo& from) {
  auto used = d_.audit.event(models::AuditType::mfa_recovery_code_used,
                             models::AuditOutcome::success, from);
  used.actor_id = used.subject_user_id = user.id;
  const bool taken = co_await d_.mfa.use_recovery_code(
      user.id, d_.code_hasher.hash(normal_recovery_code(recovery_code)), d_.clock.now_micros(),
      d_.audit.with_change(used));
  if (taken) d_.audit.committed(used);
  co_return taken;
}

}  // namespace gh::services
