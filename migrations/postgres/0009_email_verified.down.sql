DROP INDEX mail_outbox_sent_to;
DROP INDEX users_email_verified_created_at_id;
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE users DROP COLUMN email_verified;
