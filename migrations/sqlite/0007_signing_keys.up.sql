-- The keys that sign access tokens in the EdDSA and ES256 modes (API.md part two, "Signing
-- keys"). kid is the RFC 7638 thumbprint of the public key. The private half is sealed under
-- a key derived from SECRET_KEY (with the kid as associated data), and dropped when the key
-- is revoked: a revoked key never signs again.
CREATE TABLE signing_keys (
  kid TEXT NOT NULL PRIMARY KEY,
  alg TEXT NOT NULL CHECK (alg IN ('EdDSA', 'ES256')),
  state TEXT NOT NULL CHECK (state IN ('standby', 'active', 'retired', 'revoked')),
  public_key TEXT NOT NULL,
  sealed_private_key TEXT NULL,
  created_at INTEGER NOT NULL,
  activated_at INTEGER NULL,
  retired_at INTEGER NULL,
  revoked_at INTEGER NULL
) STRICT;

-- Exactly one key signs: two instances that each make a first key at the same start, or two
-- activations at once, cannot both win.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (state) WHERE state = 'active';
