DROP INDEX mail_outbox_sent_to;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN email_verified;
