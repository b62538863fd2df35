DROP INDEX sessions_revoked_at;
DROP INDEX sessions_expires_at;
DROP INDEX sessions_open_by_user;
ALTER TABLE sessions DROP COLUMN user_agent, DROP COLUMN ip;
