#pragma once
// The statement of a page of audit events, newest first: one text per shape (which filters
// are present, how many types), built from constant fragments and named for its shape, so
// each is prepared once and each dialect plans it with the index made for its leading
// filter. Values only ever travel as parameters.
//
// One filter drives the read, in this order: subject_user_id, actor_id, user_id, ip, type,
// else time alone. Its index (migration 0006) holds the events of that value in keyset
// order, so a page walks it backwards from the position and stops after `limit` rows, with
// no sort. `user_id` (the subject or the actor) reads two indexes and several types read one
// range each: every branch is ordered and limited on its own, and only their first `limit`
// rows each are merged. The other filters are conditions on the rows walked.
#include <vector>

#include "db/database.hpp"
#include "models/audit_event.hpp"

namespace gh::db {

struct AuditListStatement {
  const Query& query;
  std::vector<Value> params;
};

// The statement for `q` with its parameters. The ids in `q` must be UUIDs.
AuditListStatement audit_list_statement(const models::AuditQuery& q);

}  // namespace gh::db
