-- Multi-factor authentication (API.md part two, "MFA"). A user's TOTP factor: its seed sealed
-- with a key derived from SECRET_KEY (as the signing keys' private halves are), pending until
-- a first code confirms it, and the last time step a code was accepted for, so a code is
-- taken once (RFC 6238 §5.2) by one conditional UPDATE however many arrive at once.
-- UserOut's mfa_enabled, kept with the factor's state in the same transactions.
ALTER TABLE users ADD COLUMN mfa_enabled boolean NOT NULL DEFAULT false;

CREATE TABLE mfa_factors (
  user_id uuid NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  sealed_secret text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'enabled')),
  last_used_step bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  enabled_at timestamptz NULL
);

-- Ten single-use recovery codes per user, as keyed hashes only.
CREATE TABLE mfa_recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz NULL,
  PRIMARY KEY (user_id, code_hash)
);

-- The second step of a login: an mfa_token's keyed hash, its user, its expiry and the codes
-- tried with it (five, then it is spent whatever the account's throttle says).
CREATE TABLE mfa_challenges (
  token_hash text NOT NULL PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  tries integer NOT NULL DEFAULT 0,
  spent_at timestamptz NULL
);

CREATE INDEX mfa_challenges_expiry ON mfa_challenges (expires_at);
