-- Native types: uuid ids, timestamptz times (gatehouse reads and writes them as microseconds
-- since the Unix epoch), boolean flags.
CREATE TABLE users (
  id uuid NOT NULL PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email)),
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One account per address whatever its case; lookups by email use this index.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- GET /users/ pages in creation order.
CREATE INDEX users_created_at_id ON users (created_at, id);
