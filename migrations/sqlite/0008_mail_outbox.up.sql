-- The mail outbox (API.md part two, "Email"): a mail is a row written in the same transaction
-- as what caused it, and the worker (jobs/mail_worker) sends it. A row holds what to send
-- (its kind and recipient), never a token: the worker makes the link's token when it sends,
-- and only that token's keyed hash is kept (mail_tokens). The worker leases a row for one
-- attempt (lease_until), so an instance that dies mid-send gives it back when the lease ends.
CREATE TABLE mail_outbox (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('password_reset', 'email_verification', 'invitation')),
  recipient TEXT NOT NULL,
  user_id TEXT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'skipped', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NULL,
  finished_at INTEGER NULL,
  last_error TEXT NULL
) STRICT;

-- The worker's queue, oldest due first; the purge's, oldest finished first.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at) WHERE state <> 'queued';

-- The tokens of the links in mail: only a keyed hash (HMAC under a key derived from
-- SECRET_KEY), single-use (used_at set by one conditional UPDATE), expiring.
CREATE TABLE mail_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verification', 'invitation')),
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER NULL
) STRICT;

CREATE INDEX mail_tokens_user ON mail_tokens (user_id, purpose);
CREATE INDEX mail_tokens_expiry ON mail_tokens (expires_at);
