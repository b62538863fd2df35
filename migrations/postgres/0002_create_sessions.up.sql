-- One row per login; refresh_hash is the hash of the current refresh token's jti, never the token.
CREATE TABLE sessions (
  id uuid NOT NULL PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  refresh_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz NULL,
  last_used_at timestamptz NOT NULL
);

-- Revoking all of a user's sessions, and the cascade when a user is deleted.
CREATE INDEX sessions_user_id ON sessions (user_id);
