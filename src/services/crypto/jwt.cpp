#include "services/crypto/jwt.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/base64url.hpp"
#include "core/crypto_init.hpp"
#include "core/json_duplicates.hpp"

namespace gh::crypto {

namespace json = boost::json;

namespace {

// Far above any token we issue; caps the work an unauthenticated caller can ask for.
constexpr std::size_t kMaxTokenSize = 4096;
constexpr std::size_t kMaxClaimSize = 256;
constexpr std::size_t kMacSize = crypto_auth_hmacsha256_BYTES;

// {"alg":"HS256","typ":"JWT"}, the only header we write.
constexpr std::string_view kHeaderPart = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

// Strict JSON object: standard syntax, valid UTF-8, no duplicate keys.
std::optional<json::object> parse_object(std::string_view text) {
  if (has_duplicate_keys(text)) return std::nullopt;
  json::error_code ec;
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

struct Parts {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Parts> split(std::string_view token) {
  if (token.size() > kMaxTokenSize) return std::nullopt;
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  Parts parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
              token.substr(second + 1), token.substr(0, second)};
  if (parts.header.empty() || parts.payload.empty() || parts.signature.empty()) return std::nullopt;
  return parts;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

TokenError check_header(std::string_view header_part) {
  // The one header we issue passes every check below: spare it the decode and the parse.
  if (header_part == kHeaderPart) return TokenError::none;
  const auto text = base64url_decode(header_part);
  if (!text) return TokenError::malformed;
  const auto header = parse_object(*text);
  if (!header) return TokenError::malformed;
  // The algorithm is pinned, never taken from the token: "none", other HMACs and
  // public-key algorithms (the RS256/HS256 confusion) are all refused here.
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "HS256") {
    return TokenError::unsupported_algorithm;
  }
  // We understand no critical extensions (RFC 7515 4.1.11 says refuse them) and issue
  // no key ids, so a kid can only come from someone else's token.
  if (header->contains("crit")) return TokenError::unsupported_algorithm;
  if (header->contains("kid")) return TokenError::malformed;
  if (const auto* typ = header->if_contains("typ")) {
    if (!typ->is_string() || !iequals(typ->get_string(), "JWT")) return TokenError::malformed;
  }
  return TokenError::none;
}

// Checks everything up to and including the signature; on success `payload` holds the
// decoded payload text, still unparsed.
TokenError open_token(std::string_view token, std::string_view key, std::string& payload) {
  const auto parts = split(token);
  if (!parts) return TokenError::malformed;
  if (const auto error = check_header(parts->header); error != TokenError::none) return error;
  const auto signature = base64url_decode(parts->signature);
  if (!signature) return TokenError::malformed;
  if (signature->size() != kMacSize) return TokenError::bad_signature;
  const std::string expected = hs256(key, parts->signing_input);
  // Constant-time compare: an early-exit compare would leak how many leading bytes of
  // a forged MAC are right, letting an attacker build a valid one byte by byte.
  if (crypto_verify_32(reinterpret_cast<const unsigned char*>(expected.data()),
                       reinterpret_cast<const unsigned char*>(signature->data())) != 0) {
    return TokenError::bad_signature;
  }
  auto decoded = base64url_decode(parts->payload);
  if (!decoded) return TokenError::malformed;
  payload = std::move(*decoded);
  return TokenError::none;
}

// A header of a token signed by a published key: its algorithm, and the key it names.
struct KeyedHeader {
  std::string alg, kid;
};

// Header members that would point a verifier at a key the token itself chooses (RFC 7515
// 4.1.2-4.1.6): we never send them and never follow them, so a token with one is not ours.
constexpr std::array<std::string_view, 5> kKeyPointers{"jku", "jwk", "x5u", "x5c", "x5t"};

constexpr std::size_t kMaxKidSize = 128;

std::optional<KeyedHeader> read_keyed_header(std::string_view header_part, TokenError& error) {
  error = TokenError::malformed;
  const auto text = base64url_decode(header_part);
  if (!text) return std::nullopt;
  const auto header = parse_object(*text);
  if (!header) return std::nullopt;
  const auto* alg = header->if_contains("alg");
  const auto* kid = header->if_contains("kid");
  if (!alg || !alg->is_string() || !parse_algorithm(alg->get_string())) {
    error = TokenError::unsupported_algorithm;
    return std::nullopt;
  }
  if (header->contains("crit")) {
    error = TokenError::unsupported_algorithm;
    return std::nullopt;
  }
  for (const auto name : kKeyPointers)
    if (header->contains(json::string_view(name.data(), name.size()))) return std::nullopt;
  if (!kid || !kid->is_string() || kid->get_string().empty() ||
      kid->get_string().size() > kMaxKidSize)
    return std::nullopt;
  if (const auto* typ = header->if_contains("typ")) {
    if (!typ->is_string() || !iequals(typ->get_string(), "JWT")) return std::nullopt;
  }
  error = TokenError::none;
  return KeyedHeader{std::string(alg->get_string()), std::string(kid->get_string())};
}

TokenError open_keyed_token(std::string_view token, const KeyLookup& keys, std::string& payload) {
  const auto parts = split(token);
  if (!parts) return TokenError::malformed;
  TokenError error = TokenError::none;
  const auto header = read_keyed_header(parts->header, error);
  if (!header) return error;
  const PublicKey* key = keys(header->kid);
  if (!key) return TokenError::unknown_key;
  if (algorithm_name(key->algorithm()) != header->alg) return TokenError::unsupported_algorithm;
  const auto signature = base64url_decode(parts->signature);
  if (!signature) return TokenError::malformed;
  if (!key->verify(parts->signing_input, *signature)) return TokenError::bad_signature;
  auto decoded = base64url_decode(parts->payload);
  if (!decoded) return TokenError::malformed;
  payload = std::move(*decoded);
  return TokenError::none;
}

std::optional<std::string> string_claim(const json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(json::string_view(name.data(), name.size()));
  if (!v || !v->is_string()) return std::nullopt;
  const auto& s = v->get_string();
  if (s.empty() || s.size() > kMaxClaimSize) return std::nullopt;
  return std::string(s.data(), s.size());
}

// NumericDate as we issue it: a whole number of seconds that fits in 64 bits.
std::optional<std::int64_t> time_claim(const json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(json::string_view(name.data(), name.size()));
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

// nbf may be absent. Present, it must be a NumericDate as exp must: a limit we cannot read
// is refused, not skipped, or a token its issuer meant for later would pass today.
bool read_not_before(const json::object& payload, std::optional<std::int64_t>& nbf) {
  if (!payload.contains("nbf")) return true;
  nbf = time_claim(payload, "nbf");
  return nbf.has_value();
}

// Absent: aal1 (tokens issued before the claim existed). Anything but the two names is refused.
std::optional<int> read_aal(const json::object& payload) {
  if (!payload.contains("aal")) return 1;
  const auto name = string_claim(payload, "aal");
  if (name == "aal1") return 1;
  if (name == "aal2") return 2;
  return std::nullopt;
}

std::optional<TokenClaims> read_claims(const json::object& payload) {
  auto sub = string_claim(payload, "sub");
  auto type = string_claim(payload, "type");
  auto sid = string_claim(payload, "sid");
  auto jti = string_claim(payload, "jti");
  const auto iat = time_claim(payload, "iat");
  const auto exp = time_claim(payload, "exp");
  std::optional<std::int64_t> nbf;
  const auto aal = read_aal(payload);
  if (!sub || !type || !sid || !jti || !iat || !exp || !read_not_before(payload, nbf) || !aal) {
    return std::nullopt;
  }
  return TokenClaims{
      std::move(*sub), std::move(*type), std::move(*sid), std::move(*jti), *iat, *exp, nbf, *aal};
}

bool is_expired(std::int64_t exp, std::int64_t now, std::int64_t leeway) {
  // Unsigned difference: now - exp cannot overflow when exp is hostile (say INT64_MIN).
  return now > exp && static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(exp) >
                          static_cast<std::uint64_t>(leeway);
}

// Issued (or valid from) after now, beyond the skew we allow: a clock gone wrong, a forged
// token, or one its issuer meant for later.
bool is_from_future(std::int64_t at, std::int64_t now, std::int64_t leeway) {
  return at > now && static_cast<std::uint64_t>(at) - static_cast<std::uint64_t>(now) >
                         static_cast<std::uint64_t>(leeway);
}

bool string_is(const json::value* v, const std::string& expected) {
  return v && v->is_string() && v->get_string() == json::string_view(expected);
}

// RFC 7519 4.1.3: `aud` is one string or an array of them; ours must be among them.
bool audience_matches(const json::value* aud, const std::string& expected) {
  if (string_is(aud, expected)) return true;
  if (!aud || !aud->is_array()) return false;
  const auto& list = aud->get_array();
  return std::any_of(list.begin(), list.end(),
                     [&](const json::value& v) { return string_is(&v, expected); });
}

// A configured issuer or audience must be present and match; an unconfigured one is not
// looked at (so tokens from before the setting keep working only while it is unset).
bool issuer_and_audience_ok(const json::object& payload, const JwtOptions& options) {
  if (!options.issuer.empty() && !string_is(payload.if_contains("iss"), options.issuer))
    return false;
  if (!options.audience.empty() && !audience_matches(payload.if_contains("aud"), options.audience))
    return false;
  return true;
}

}  // namespace

namespace {

// The HMAC state once the key is absorbed, kept per thread: every token a process signs
// or checks uses the same key, and absorbing it is two of the eight or so SHA-256 blocks
// an access token costs. Wiped when the thread ends.
struct KeyedState {
  std::string key;
  crypto_auth_hmacsha256_state state{};
  bool ready = false;
  ~KeyedState() {
    sodium_memzero(key.data(), key.size());
    sodium_memzero(&state, sizeof state);
  }
};

const crypto_auth_hmacsha256_state& keyed_state(std::string_view key) {
  thread_local KeyedState cache;
  if (!cache.ready || cache.key.size() != key.size() ||
      sodium_memcmp(cache.key.data(), key.data(), key.size()) != 0) {
    static constexpr unsigned char kNoKey = 0;  // libsodium wants a non-null pointer
    const auto* key_bytes =
        key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
    sodium_memzero(cache.key.data(), cache.key.size());
    cache.key.assign(key);
    // init/update/final take any key length; crypto_auth_hmacsha256 would demand 32 bytes.
    crypto_auth_hmacsha256_init(&cache.state, key_bytes, key.size());
    cache.ready = true;
  }
  return cache.state;
}

}  // namespace

std::string hs256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state = keyed_state(key);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string mac(kMacSize, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  sodium_memzero(&state, sizeof state);  // the state holds key-derived pads
  return mac;
}

std::optional<std::string> verify_hs256_signature(std::string_view token, std::string_view key) {
  try {
    std::string payload;
    if (open_token(token, key, payload) != TokenError::none) return std::nullopt;
    return payload;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

JwtCodec::JwtCodec(std::string secret, std::int64_t leeway_seconds)
    : JwtCodec(std::move(secret), JwtOptions{leeway_seconds, {}, {}}) {}

JwtCodec::JwtCodec(std::string secret, JwtOptions options)
    : secret_(std::move(secret)), options_(std::move(options)) {
  crypto_init();
  if (secret_.empty()) throw std::invalid_argument("JWT secret must not be empty");
  if (options_.leeway_seconds < 0) throw std::invalid_argument("JWT leeway must not be negative");
}

std::string JwtCodec::payload_part(const TokenClaims& claims) const {
  json::object payload{{"sub", claims.sub}, {"type", claims.type}, {"sid", claims.sid},
                       {"jti", claims.jti}, {"iat", claims.iat},   {"exp", claims.exp}};
  if (claims.nbf) payload["nbf"] = *claims.nbf;
  payload["aal"] = claims.aal == 2 ? "aal2" : "aal1";
  payload["amr"] = claims.aal == 2 ? json::array{"pwd", "otp"} : json::array{"pwd"};
  if (!options_.issuer.empty()) payload["iss"] = options_.issuer;
  if (!options_.audience.empty()) payload["aud"] = options_.audience;
  return base64url_encode(json::serialize(payload));
}

std::string JwtCodec::sign(const TokenClaims& claims) const {
  std::string token(kHeaderPart);
  token += '.';
  token += payload_part(claims);
  const std::string mac = hs256(secret_, token);
  token += '.';
  token += base64url_encode(mac);
  return token;
}

std::string JwtCodec::sign_with(const TokenClaims& claims, const PrivateKey& key,
                                std::string_view kid) const {
  const json::object header{{"alg", algorithm_name(key.algorithm())}, {"kid", kid}, {"typ", "JWT"}};
  std::string token = base64url_encode(json::serialize(header));
  token += '.';
  token += payload_part(claims);
  const std::string signature = key.sign(token);
  token += '.';
  token += base64url_encode(signature);
  return token;
}

JwtCodec::Verified JwtCodec::verify(std::string_view token, std::int64_t now_unix_seconds) const {
  try {
    std::string text;
    if (const auto error = open_token(token, secret_, text); error != TokenError::none) {
      return {std::nullopt, error};
    }
    return read_payload(text, now_unix_seconds);
  } catch (const std::exception&) {
    // Only allocation can throw here; a token we cannot read is not a valid one.
    return {std::nullopt, TokenError::malformed};
  }
}

JwtCodec::Verified JwtCodec::verify_with(std::string_view token, std::int64_t now_unix_seconds,
                                         const KeyLookup& keys) const {
  try {
    std::string text;
    if (const auto error = open_keyed_token(token, keys, text); error != TokenError::none) {
      return {std::nullopt, error};
    }
    return read_payload(text, now_unix_seconds);
  } catch (const std::exception&) {
    return {std::nullopt, TokenError::malformed};
  }
}

JwtCodec::Verified JwtCodec::read_payload(std::string_view text,
                                          std::int64_t now_unix_seconds) const {
  const auto payload = parse_object(text);
  if (!payload) return {std::nullopt, TokenError::malformed};
  auto claims = read_claims(*payload);
  if (!claims || !issuer_and_audience_ok(*payload, options_)) {
    return {std::nullopt, TokenError::invalid_claims};
  }
  if (const auto error = check_times(*claims, now_unix_seconds); error != TokenError::none) {
    return {std::nullopt, error};
  }
  return {std::move(claims), TokenError::none};
}

TokenError JwtCodec::check_times(const TokenClaims& claims, std::int64_t now_unix_seconds) const {
  const std::int64_t leeway = options_.leeway_seconds;
  if (is_from_future(claims.iat, now_unix_seconds, leeway) ||
      (claims.nbf && is_from_future(*claims.nbf, now_unix_seconds, leeway))) {
    return TokenError::invalid_claims;
  }
  if (is_expired(claims.exp, now_unix_seconds, leeway)) {
    return TokenError::expired;
  }
  return TokenError::none;
}

}  // namespace gh::crypto
