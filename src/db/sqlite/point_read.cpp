#include "db/sqlite/point_read.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace gh::db::sqlite {

bool is_point_read(std::string_view sql) {
  std::string s(sql);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::replace_if(
      s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }, ' ');
  const auto start = s.find_first_not_of(' ');
  if (start == std::string::npos || s.compare(start, 7, "select ") != 0) return false;
  for (std::string_view scan : {"count(", "sum(", "order by", "group by", "offset", "limit"})
    if (s.find(scan) != std::string::npos) return false;
  return s.find(" from ") == std::string::npos || s.find(" where ") != std::string::npos;
}

}  // namespace gh::db::sqlite
