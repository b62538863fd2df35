-- Part two's additions to UserOut (API.md): whether the address is proven by a mailed link,
-- and when the user last logged in. Accounts from before this migration count as unverified:
-- EMAIL_VERIFICATION=required then asks them to verify, as it asks everyone.
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN last_login_at timestamptz NULL;

-- GET /users/?email_verified= walks its own index in creation order, as role and is_active do.
CREATE INDEX users_email_verified_created_at_id ON users (email_verified, created_at, id);

-- The worker's per-account limit (MAIL_PER_ACCOUNT_PER_HOUR): mails sent to an address lately.
CREATE INDEX mail_outbox_sent_to ON mail_outbox (recipient, finished_at) WHERE state = 'sent';
