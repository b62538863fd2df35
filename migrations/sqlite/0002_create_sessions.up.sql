-- One row per login; refresh_hash is the hash of the current refresh token's jti, never the token.
CREATE TABLE sessions (
  id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  refresh_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NULL,
  last_used_at INTEGER NOT NULL
) STRICT;

-- Revoking all of a user's sessions, and the cascade when a user is deleted.
CREATE INDEX sessions_user_id ON sessions (user_id);
