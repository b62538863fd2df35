#pragma once
// `gatehouse healthcheck`: GET one path of the local server and exit 0 on 200, 1 otherwise.
// For container HEALTHCHECKs and supervisors, so the runtime image needs no curl.
#include <chrono>
#include <cstdint>
#include <string>

namespace gh::cli {

// `host` is the server's HOST setting: a wildcard (0.0.0.0, ::) means this machine.
int healthcheck(std::string host, std::uint16_t port, const std::string& path,
                std::chrono::seconds timeout);

}  // namespace gh::cli
