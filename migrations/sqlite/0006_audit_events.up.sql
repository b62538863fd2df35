-- The audit log (API.md part two): append-only, no foreign keys (an event outlives the user
-- and the session it names). details is a JSON object of allow-listed fields.
CREATE TABLE audit_events (
  id TEXT NOT NULL PRIMARY KEY,
  occurred_at INTEGER NOT NULL,
  type TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_id TEXT NULL,
  subject_user_id TEXT NULL,
  session_id TEXT NULL,
  ip TEXT NULL,
  user_agent TEXT NULL,
  request_id TEXT NULL,
  reason TEXT NULL,
  details TEXT NOT NULL DEFAULT '{}'
) STRICT;

-- Every query reads newest first from one of these, in keyset order (occurred_at, id); the
-- retention purge deletes from the oldest end of the first.
CREATE INDEX audit_events_time ON audit_events (occurred_at, id);
CREATE INDEX audit_events_subject ON audit_events (subject_user_id, occurred_at, id)
  WHERE subject_user_id IS NOT NULL;
CREATE INDEX audit_events_actor ON audit_events (actor_id, occurred_at, id)
  WHERE actor_id IS NOT NULL;
CREATE INDEX audit_events_type ON audit_events (type, occurred_at, id);
CREATE INDEX audit_events_ip ON audit_events (ip, occurred_at, id) WHERE ip IS NOT NULL;
