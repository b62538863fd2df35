-- Where a session is used from, shown to its owner: the client address and User-Agent of
-- the login that opened it, then of its latest refresh (NULL: not known, as for sessions
-- opened before this migration).
ALTER TABLE sessions ADD COLUMN ip TEXT NULL;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NULL;

-- GET /users/me/sessions: a user's open sessions, newest first, without reading the ended ones.
CREATE INDEX sessions_open_by_user ON sessions (user_id, created_at DESC, id DESC)
  WHERE revoked_at IS NULL;

-- The background purge of sessions ended (revoked or expired) long enough ago.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX sessions_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
