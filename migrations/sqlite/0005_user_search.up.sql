-- GET /users/ filters: each walks an index in creation order. The email substring search
-- (q) reads an FTS5 trigram index of the emails, kept by triggers. It refers to users by
-- rowid: after a VACUUM (which may renumber rowids) rebuild it with
--   INSERT INTO users_email_trigrams(users_email_trigrams) VALUES ('rebuild');
CREATE INDEX users_role_created_at_id ON users (role, created_at, id);
CREATE INDEX users_is_active_created_at_id ON users (is_active, created_at, id);

CREATE VIRTUAL TABLE users_email_trigrams USING fts5(
  email, content = 'users', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO users_email_trigrams (users_email_trigrams) VALUES ('rebuild');

CREATE TRIGGER users_email_trigrams_on_insert AFTER INSERT ON users
BEGIN
  INSERT INTO users_email_trigrams (rowid, email) VALUES (NEW.rowid, NEW.email);
END;

CREATE TRIGGER users_email_trigrams_on_delete AFTER DELETE ON users
BEGIN
  INSERT INTO users_email_trigrams (users_email_trigrams, rowid, email)
  VALUES ('delete', OLD.rowid, OLD.email);
END;

CREATE TRIGGER users_email_trigrams_on_update AFTER UPDATE OF email ON users
WHEN OLD.email IS NOT NEW.email
BEGIN
  INSERT INTO users_email_trigrams (users_email_trigrams, rowid, email)
  VALUES ('delete', OLD.rowid, OLD.email);
  INSERT INTO users_email_trigrams (rowid, email) VALUES (NEW.rowid, NEW.email);
END;
