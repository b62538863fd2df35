#include "db/audit_list_query.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "models/user_query.hpp"

namespace gh::db {
namespace {

constexpr std::string_view kSelect =
    "SELECT id, occurred_at, type, outcome, actor_id, subject_user_id, session_id, ip, "
    "user_agent, request_id, reason, details FROM audit_events";
// $1, $2 the keyset position, $3 the row limit; every statement starts with them.
constexpr std::string_view kKeyset = "(occurred_at, id) < ($1, $2)";
constexpr std::string_view kOrder = " ORDER BY occurred_at DESC, id DESC LIMIT $3";
// Sorts before every id: (t, kNoId) is the position just before every event at t.
constexpr std::string_view kNoId = "00000000-0000-0000-0000-000000000000";

// One ordered walk of one index: the events whose `column` equals `param` (none: the time
// index, which holds them all), and that meet `extra` too.
struct Branch {
  std::string_view index;
  std::string_view column;
  std::string param;
  std::string extra;

  // On PostgreSQL the keyset leads with the column itself: `column = p AND (column,
  // occurred_at, id) < (p, $1, $2)` selects the same rows as the plain keyset and is an index
  // range of this index only. The pipeline's generic plan (force_generic_plan, see
  // docs/architecture.md) cannot tell a rare type from a common one: with the plain keyset it
  // walked the time index for every type, the whole table for a rare one. SQLite, told the
  // index, bounds its range with the plain keyset only (the longer one it applies row by row).
  std::string condition(bool sqlite) const {
    if (column.empty()) return std::string(kKeyset);
    const std::string c(column);
    const std::string keyset =
        sqlite ? std::string(kKeyset) : "(" + c + ", occurred_at, id) < (" + param + ", $1, $2)";
    return c + " = " + param + " AND " + keyset + extra;
  }
};

struct ListText {
  std::string name = "list_audit";
  std::vector<Branch> branches;
  std::string filters;  // the conditions on the rows walked, the same for every branch
  std::vector<Value> params;

  std::string param(Value value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
  void filter(std::string_view suffix, const std::string& condition) {
    name += suffix;
    filters += " AND " + condition;
  }

  // SQLite is told the index (its planner, without statistics, may take one that cannot
  // give the order); PostgreSQL's planner is left to choose among the ordered walks.
  std::string text(bool sqlite) const {
    auto walk = [&](const Branch& b) {
      std::string sql(kSelect);
      if (sqlite) sql += " INDEXED BY " + std::string(b.index);
      return sql + " WHERE " + b.condition(sqlite) + filters + std::string(kOrder);
    };
    if (branches.size() == 1) return walk(branches.front());
    std::string sql;
    for (std::size_t i = 0; i < branches.size(); ++i) {
      if (i > 0) sql += " UNION ALL ";
      sql += "SELECT * FROM (" + walk(branches[i]) + ") AS b" + std::to_string(i);
    }
    return sql + std::string(kOrder);
  }
};

bool before(const models::AuditPosition& a, const models::AuditPosition& b) {
  return a.occurred_at < b.occurred_at || (a.occurred_at == b.occurred_at && a.id < b.id);
}

// Where the walk starts: after the cursor's event, and before `until` (which so needs no
// condition of its own).
models::AuditPosition start_of(const models::AuditQuery& q) {
  models::AuditPosition start{models::kLastPositionMicros + 1, std::string(kNoId)};
  if (q.until) start = {*q.until, std::string(kNoId)};
  if (q.after && before(*q.after, start)) start = *q.after;
  return start;
}

// Each type once; every type of the catalog is no filter at all.
std::vector<models::AuditType> distinct_types(std::vector<models::AuditType> types) {
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  if (types.size() == models::kAuditTypeCount) types.clear();
  return types;
}

Value type_value(models::AuditType t) {
  return std::string(models::audit_type_name(t));
}

// The driving filter becomes the branches; what it leaves falls to filters().
enum class Driver { subject, actor, user, ip, types, time };

Driver driver_of(const models::AuditQuery& q, const std::vector<models::AuditType>& types) {
  if (q.subject_user_id) return Driver::subject;
  if (q.actor_id) return Driver::actor;
  if (q.user_id) return Driver::user;
  if (q.ip) return Driver::ip;
  if (!types.empty()) return Driver::types;
  return Driver::time;
}

void add_branches(ListText& s, Driver driver, const models::AuditQuery& q,
                  const std::vector<models::AuditType>& types) {
  switch (driver) {
    case Driver::subject:
      s.name += "_by_subject";
      s.branches.push_back(
          {"audit_events_subject", "subject_user_id", s.param(*q.subject_user_id), ""});
      return;
    case Driver::actor:
      s.name += "_by_actor";
      s.branches.push_back({"audit_events_actor", "actor_id", s.param(*q.actor_id), ""});
      return;
    case Driver::user: {
      // An event whose actor is its subject is read once, from the subject's index.
      s.name += "_by_user";
      const std::string p = s.param(*q.user_id);
      s.branches.push_back({"audit_events_subject", "subject_user_id", p, ""});
      s.branches.push_back({"audit_events_actor", "actor_id", p,
                            " AND (subject_user_id IS NULL OR subject_user_id <> " + p + ")"});
      return;
    }
    case Driver::ip:
      s.name += "_by_ip";
      s.branches.push_back({"audit_events_ip", "ip", s.param(*q.ip), ""});
      return;
    case Driver::types:
      s.name += "_by_types" + std::to_string(types.size());
      for (auto t : types)
        s.branches.push_back({"audit_events_type", "type", s.param(type_value(t)), ""});
      return;
    case Driver::time:
      s.name += "_by_time";
      s.branches.push_back({"audit_events_time", "", "", ""});
      return;
  }
}

void add_filters(ListText& s, Driver driver, const models::AuditQuery& q,
                 const std::vector<models::AuditType>& types) {
  if (q.actor_id && driver != Driver::actor)
    s.filter("_actor", "actor_id = " + s.param(*q.actor_id));
  if (q.user_id && driver != Driver::user) {
    const std::string p = s.param(*q.user_id);
    s.filter("_user", "(subject_user_id = " + p + " OR actor_id = " + p + ")");
  }
  if (q.ip && driver != Driver::ip) s.filter("_ip", "ip = " + s.param(*q.ip));
  if (!types.empty() && driver != Driver::types) {
    std::string list;
    for (auto t : types) list += (list.empty() ? "" : ", ") + s.param(type_value(t));
    s.filter("_types" + std::to_string(types.size()), "type IN (" + list + ")");
  }
  if (q.outcome)
    s.filter("_outcome", "outcome = " + s.param(std::string(models::outcome_name(*q.outcome))));
  if (q.since) s.filter("_since", "occurred_at >= " + s.param(*q.since));
}

// A prepared statement is known by its name on both backends, so each shape is built once
// and kept for the life of the program (at most a few thousand shapes, each a few hundred
// bytes); the Query points into its own strings, which never move.
struct Shape {
  std::string name, sqlite, postgres;
  Query query;
};

const Query& shape_query(const ListText& s) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes;
  const std::lock_guard lock(mutex);
  auto found = shapes.find(s.name);
  if (found == shapes.end()) {
    auto shape = std::make_unique<Shape>(Shape{s.name, s.text(true), s.text(false), {}});
    shape->query = Query{shape->name, shape->sqlite, shape->postgres, true};
    found = shapes.emplace(s.name, std::move(shape)).first;
  }
  return found->second->query;
}

}  // namespace

AuditListStatement audit_list_statement(const models::AuditQuery& q) {
  const auto types = distinct_types(q.types);
  const Driver driver = driver_of(q, types);
  const auto start = start_of(q);
  ListText s;
  s.param(start.occurred_at);
  s.param(start.id);
  s.param(q.limit);
  add_branches(s, driver, q, types);
  add_filters(s, driver, q, types);
  return {shape_query(s), std::move(s.params)};
}

}  // namespace gh::db
