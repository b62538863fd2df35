#pragma once
// A Redis reply, copied out of hiredis's reply tree so it can cross threads.
#include <string>
#include <vector>

namespace gh::redis {

struct Reply {
  enum class Type { string, status, integer, nil, array, error };
  Type type = Type::nil;
  std::string str;  // string, status and error replies
  long long integer = 0;
  std::vector<Reply> elements;

  bool is_error() const { return type == Type::error; }
};

}  // namespace gh::redis
