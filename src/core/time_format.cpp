#include "core/time_format.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace gh {

std::string format_rfc3339(std::int64_t unix_micros) {
  using namespace std::chrono;
  const sys_time<microseconds> t{microseconds{unix_micros}};
  // floor, not truncation, so times before 1970 land on the right day.
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{t - day};

  char buf[40];
  const int n = std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  // Years beyond 9999 only widen the text; never read past the buffer.
  if (n < 0) return {};
  return std::string(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

}  // namespace gh
