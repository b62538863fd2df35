-- GET /users/ filters: each walks an index in creation order. The email substring search
-- (q) reads a pg_trgm GIN index (pg_trgm ships with PostgreSQL and is a trusted extension:
-- the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trigrams ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_role_created_at_id ON users (role, created_at, id);
CREATE INDEX users_is_active_created_at_id ON users (is_active, created_at, id);
