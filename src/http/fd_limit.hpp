#pragma once
// The open-file limit a server needs for its connection cap.
#include <cstddef>

namespace gh::http {

// Raises the soft RLIMIT_NOFILE towards `wanted` (never past the hard limit, never down)
// and returns the soft limit in force afterwards.
std::size_t raise_fd_limit(std::size_t wanted);

}  // namespace gh::http
