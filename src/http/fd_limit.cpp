#include "http/fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace gh::http {

std::size_t raise_fd_limit(std::size_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const rlim_t target = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(wanted));
  if (target > limit.rlim_cur) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = before;
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace gh::http
