#include "core/time_format.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace gh {
namespace {

using std::chrono::hh_mm_ss;
using std::chrono::microseconds;
using std::chrono::year_month_day;

// "00" to "99": two digits per lookup. A page of users formats 200 timestamps of 20
// digits each, and dividing by 10 per digit was most of their cost.
constexpr auto kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

// Two digits of v (below 100) at `at`, then `separator`.
char* put_pair(char* at, unsigned v, char separator) {
  std::memcpy(at, &kDigitPairs[2 * v], 2);
  at[2] = separator;
  return at + 3;
}

// Two digits of v (below 100) at `at`.
char* put_pair(char* at, unsigned v) {
  std::memcpy(at, &kDigitPairs[2 * v], 2);
  return at + 2;
}

// Years outside 0000..9999 (only ever from a corrupt row): printf widens the text.
std::string format_wide(const year_month_day& ymd, const hh_mm_ss<microseconds>& hms) {
  char buf[40];
  const int n = std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
      static_cast<int>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  if (n < 0) return {};
  return std::string(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

}  // namespace

void append_rfc3339(std::string& out, std::int64_t unix_micros) {
  using namespace std::chrono;
  constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
  // floor, not truncation, so times before 1970 land on the right day.
  std::int64_t day = unix_micros / kMicrosPerDay;
  std::int64_t in_day = unix_micros % kMicrosPerDay;
  if (in_day < 0) {
    in_day += kMicrosPerDay;
    --day;
  }
  const year_month_day ymd{sys_days{days{day}}};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    const sys_time<microseconds> t{microseconds{unix_micros}};
    out += format_wide(ymd, hh_mm_ss<microseconds>{t - floor<days>(t)});
    return;
  }
  const auto seconds = static_cast<unsigned>(in_day / 1'000'000);
  const auto micros = static_cast<unsigned>(in_day % 1'000'000);
  char buf[27];  // "0000-00-00T00:00:00.000000Z"
  char* at = put_pair(buf, static_cast<unsigned>(year) / 100);
  at = put_pair(at, static_cast<unsigned>(year) % 100, '-');
  at = put_pair(at, static_cast<unsigned>(ymd.month()), '-');
  at = put_pair(at, static_cast<unsigned>(ymd.day()), 'T');
  at = put_pair(at, seconds / 3600, ':');
  at = put_pair(at, seconds / 60 % 60, ':');
  at = put_pair(at, seconds % 60, '.');
  at = put_pair(at, micros / 10'000);
  at = put_pair(at, micros / 100 % 100);
  at = put_pair(at, micros % 100, 'Z');
  out.append(buf, static_cast<std::size_t>(at - buf));
}

std::string format_rfc3339(std::int64_t unix_micros) {
  std::string out;
  append_rfc3339(out, unix_micros);
  return out;
}

}  // namespace gh

namespace gh {
namespace {

// `count` decimal digits at `at`, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

bool is(std::string_view text, std::size_t at, char want) {
  return at < text.size() && (text[at] == want);
}

// The offset at the end of a date-time ("Z", "+02:00", "-05:30") in seconds east of UTC.
std::optional<std::int64_t> parse_offset(std::string_view tail) {
  if (tail == "Z" || tail == "z") return 0;
  if (tail.size() != 6 || (tail[0] != '+' && tail[0] != '-') || tail[3] != ':') return std::nullopt;
  const int hours = digits(tail, 1, 2), minutes = digits(tail, 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
  const std::int64_t seconds = hours * 3600 + minutes * 60;
  return tail[0] == '+' ? seconds : -seconds;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  // "YYYY-MM-DDTHH:MM:SS" is 19 characters.
  const int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  const int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (y < 1 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return std::nullopt;
  if (!is(text, 4, '-') || !is(text, 7, '-') || !is(text, 13, ':') || !is(text, 16, ':'))
    return std::nullopt;
  if (!is(text, 10, 'T') && !is(text, 10, 't')) return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  std::size_t at = 19;
  std::int64_t micros = 0;
  if (is(text, at, '.')) {
    const std::size_t first = ++at;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at)
      if (at - first < 6) micros = micros * 10 + (text[at] - '0');
    if (at == first) return std::nullopt;
    for (std::size_t n = at - first; n < 6; ++n) micros *= 10;
  }
  const auto offset = parse_offset(text.substr(at));
  if (!offset) return std::nullopt;
  const std::int64_t days_since_epoch = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t seconds = days_since_epoch * 86'400 + h * 3600 + mi * 60 + s - *offset;
  return seconds * 1'000'000 + micros;
}

}  // namespace gh
