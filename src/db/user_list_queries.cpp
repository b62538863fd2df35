#include "db/user_list_queries.hpp"

#include <array>
#include <string>

namespace gh::db {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, email, '' AS password_hash, role, is_active, created_at, updated_at, "
    "email_verified, last_login_at, mfa_enabled FROM users "
    "WHERE (created_at, id) > ($1, $2)";
constexpr std::string_view kOrder = " ORDER BY created_at, id LIMIT $3 OFFSET $4";

// The SQL text is built from these constants alone, once; values only ever travel as
// parameters.
struct Variant {
  std::string name, sqlite, postgres;
  Query query;
};

Variant build(unsigned mask) {
  const bool email = mask & 1u, role = mask & 2u, active = mask & 4u, verified = mask & 8u;
  Variant v;
  v.name = "list_users";
  v.sqlite = kColumns;
  v.postgres = kColumns;
  int next = 5;
  auto param = [&next] { return "$" + std::to_string(next++); };
  if (email) {
    const std::string p = param();
    v.name += "_email";
    // Emails are stored lower-cased; the trigram index answers both (migration 0005).
    v.sqlite +=
        " AND rowid IN (SELECT rowid FROM users_email_trigrams WHERE "
        "users_email_trigrams MATCH " +
        p + ")";
    // The matching ids come first, from the trigram index, as one array: a plan made once
    // for every pattern (Pipeline forces generic plans) would otherwise walk the creation
    // order index and test every row.
    v.postgres +=
        " AND id = ANY(ARRAY(SELECT id FROM users WHERE email LIKE " + p + " ESCAPE '\\'))";
  }
  // A filter both dialects write alike: one column equal to the next parameter.
  auto equal = [&](std::string_view suffix, std::string_view column) {
    const std::string condition = " AND " + std::string(column) + " = " + param();
    v.name += suffix;
    v.sqlite += condition;
    v.postgres += condition;
  };
  if (role) equal("_role", "role");
  if (active) equal("_active", "is_active");
  if (verified) equal("_verified", "email_verified");
  v.sqlite += kOrder;
  v.postgres += kOrder;
  return v;
}

// Each Query points into its own Variant's strings, so the Variants never move: they are
// built in place, in a static that lives as long as the program.
struct Variants {
  std::array<Variant, 16> all;
  Variants() {
    for (unsigned mask = 0; mask < all.size(); ++mask) {
      all[mask] = build(mask);
      all[mask].query = Query{all[mask].name, all[mask].sqlite, all[mask].postgres, true};
    }
  }
};

const std::array<Variant, 16>& variants() {
  static const Variants v;
  return v.all;
}

}  // namespace

const Query& user_list_query(const models::UserFilter& filter) {
  const unsigned mask = (filter.email_contains ? 1u : 0u) | (filter.role ? 2u : 0u) |
                        (filter.is_active ? 4u : 0u) | (filter.email_verified ? 8u : 0u);
  return variants()[mask].query;
}

std::string contains_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::string trigram_phrase(std::string_view text) {
  // A quoted FTS5 string: every character literal, `"` doubled.
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace gh::db
