#pragma once
// Who is at the other end of a login, a registration or a refresh, as the request says:
// the session records it so its owner can tell their sessions apart.
#include <cstddef>
#include <string>

namespace gh::services {

struct ClientInfo {
  std::string ip;          // the client address (X-Forwarded-For only from a trusted proxy)
  std::string user_agent;  // the User-Agent header as sent; empty when there was none
  std::string request_id;  // the request's id (X-Request-ID), for the audit log
};

// What a session keeps of a User-Agent, in characters (API.md).
inline constexpr std::size_t kUserAgentMaxChars = 256;

// `given` as a session stores it: valid UTF-8, the User-Agent cut to kUserAgentMaxChars
// characters on a character boundary (the address to a length no address reaches).
ClientInfo stored(const ClientInfo& given);

}  // namespace gh::services
