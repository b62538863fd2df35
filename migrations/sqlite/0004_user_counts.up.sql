-- Exact counts of users, kept by triggers in the same transaction as the rows they count,
-- so X-Total-Count and /users/stats read one row instead of scanning the table.
CREATE TABLE user_counts (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  total INTEGER NOT NULL,
  active INTEGER NOT NULL,
  admins INTEGER NOT NULL  -- active admins
) STRICT;

INSERT INTO user_counts (id, total, active, admins)
SELECT 1, COUNT(*), COALESCE(SUM(is_active), 0),
       COALESCE(SUM(CASE WHEN is_active = 1 AND role = 'admin' THEN 1 ELSE 0 END), 0)
FROM users;

CREATE TRIGGER users_counted_on_insert AFTER INSERT ON users
BEGIN
  UPDATE user_counts
  SET total = total + 1,
      active = active + NEW.is_active,
      admins = admins + (NEW.is_active = 1 AND NEW.role = 'admin')
  WHERE id = 1;
END;

CREATE TRIGGER users_counted_on_delete AFTER DELETE ON users
BEGIN
  UPDATE user_counts
  SET total = total - 1,
      active = active - OLD.is_active,
      admins = admins - (OLD.is_active = 1 AND OLD.role = 'admin')
  WHERE id = 1;
END;

CREATE TRIGGER users_counted_on_update AFTER UPDATE OF is_active, role ON users
WHEN OLD.is_active IS NOT NEW.is_active OR OLD.role IS NOT NEW.role
BEGIN
  UPDATE user_counts
  SET active = active + NEW.is_active - OLD.is_active,
      admins = admins + (NEW.is_active = 1 AND NEW.role = 'admin')
                      - (OLD.is_active = 1 AND OLD.role = 'admin')
  WHERE id = 1;
END;
