#include "services/client_info.hpp"

#include "core/utf8_prefix.hpp"

namespace gh::services {
namespace {
// The longest address text is an IPv6 one with a zone, well under this.
constexpr std::size_t kIpMaxChars = 64;
// The request id middleware accepts shorter ones; this only bounds what a row can hold.
constexpr std::size_t kRequestIdMaxChars = 128;
}  // namespace

ClientInfo stored(const ClientInfo& given) {
  return {utf8_prefix(given.ip, kIpMaxChars), utf8_prefix(given.user_agent, kUserAgentMaxChars),
          utf8_prefix(given.request_id, kRequestIdMaxChars)};
}

}  // namespace gh::services
