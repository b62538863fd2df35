#pragma once
// A query over the users: filters, a keyset position in creation order, and paging.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/role.hpp"
#include "models/user.hpp"

namespace gh::models {

// Where a page starts: after the user created at `created_at` with id `id` (creation
// order, ties broken by id).
// The times a position may hold: what both databases can store, from the first day of
// year 1 to the end of year 9999, in microseconds since the Unix epoch.
inline constexpr std::int64_t kFirstPositionMicros = -62'135'596'800'000'000;
inline constexpr std::int64_t kLastPositionMicros = 253'402'300'799'999'999;

struct UserPosition {
  std::int64_t created_at = 0;
  std::string id;
};

struct UserFilter {
  std::optional<std::string> email_contains;  // lower-cased, at least 3 characters
  std::optional<Role> role;
  std::optional<bool> is_active;
  std::optional<bool> email_verified;

  bool any() const { return email_contains || role || is_active || email_verified; }
};

struct UserQuery {
  UserFilter filter;
  std::optional<UserPosition> after;
  std::int64_t skip = 0;
  std::int64_t limit = 50;
};

struct UserPage {
  std::vector<User> users;
  std::optional<std::int64_t> total;  // only for an unfiltered walk from the start
  std::optional<UserPosition> next;   // set while more rows follow the page
};

}  // namespace gh::models
