-- The audit log (API.md part two): append-only, no foreign keys (an event outlives the user
-- and the session it names). details is a JSON object of allow-listed fields.
CREATE TABLE audit_events (
  id uuid NOT NULL PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  type text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
  actor_id uuid NULL,
  subject_user_id uuid NULL,
  session_id uuid NULL,
  ip text NULL,
  user_agent text NULL,
  request_id text NULL,
  reason text NULL,
  details text NOT NULL DEFAULT '{}'
);

-- Every query reads newest first from one of these, in keyset order (occurred_at, id); the
-- retention purge deletes from the oldest end of the first.
CREATE INDEX audit_events_time ON audit_events (occurred_at, id);
CREATE INDEX audit_events_subject ON audit_events (subject_user_id, occurred_at, id)
  WHERE subject_user_id IS NOT NULL;
CREATE INDEX audit_events_actor ON audit_events (actor_id, occurred_at, id)
  WHERE actor_id IS NOT NULL;
CREATE INDEX audit_events_type ON audit_events (type, occurred_at, id);
CREATE INDEX audit_events_ip ON audit_events (ip, occurred_at, id) WHERE ip IS NOT NULL;
