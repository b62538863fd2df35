-- The mail outbox (API.md part two, "Email"): a mail is a row written in the same transaction
-- as what caused it, and the worker (jobs/mail_worker) sends it. A row holds what to send
-- (its kind and recipient), never a token: the worker makes the link's token when it sends,
-- and only that token's keyed hash is kept (mail_tokens). The worker leases a row for one
-- attempt (lease_until), so an instance that dies mid-send gives it back when the lease ends.
CREATE TABLE mail_outbox (
  id uuid NOT NULL PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('password_reset', 'email_verification', 'invitation')),
  recipient text NOT NULL,
  user_id uuid NULL,
  state text NOT NULL CHECK (state IN ('queued', 'sent', 'skipped', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz NULL,
  finished_at timestamptz NULL,
  last_error text NULL
);

-- The worker's queue, oldest due first; the purge's, oldest finished first.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at) WHERE state <> 'queued';

-- The tokens of the links in mail: only a keyed hash (HMAC under a key derived from
-- SECRET_KEY), single-use (used_at set by one conditional UPDATE), expiring.
CREATE TABLE mail_tokens (
  token_hash text NOT NULL PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification', 'invitation')),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz NULL
);

CREATE INDEX mail_tokens_user ON mail_tokens (user_id, purpose);
CREATE INDEX mail_tokens_expiry ON mail_tokens (expires_at);
