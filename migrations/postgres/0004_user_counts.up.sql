-- Exact counts of users, kept by triggers in the same transaction as the rows they count,
-- so X-Total-Count and /users/stats read one row instead of scanning the table. The row is
-- written only when a user is added or removed or changes role or active flag; concurrent
-- registrations queue on it for the rest of their (short) transactions.
CREATE TABLE user_counts (
  id smallint NOT NULL PRIMARY KEY CHECK (id = 1),
  total bigint NOT NULL,
  active bigint NOT NULL,
  admins bigint NOT NULL  -- active admins
);

INSERT INTO user_counts (id, total, active, admins)
SELECT 1, COUNT(*), COUNT(*) FILTER (WHERE is_active),
       COUNT(*) FILTER (WHERE is_active AND role = 'admin')
FROM users;

CREATE FUNCTION users_count_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  d_total bigint := 0;
  d_active bigint := 0;
  d_admins bigint := 0;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    d_total := d_total + 1;
    d_active := d_active + (NEW.is_active)::int;
    d_admins := d_admins + (NEW.is_active AND NEW.role = 'admin')::int;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    d_total := d_total - 1;
    d_active := d_active - (OLD.is_active)::int;
    d_admins := d_admins - (OLD.is_active AND OLD.role = 'admin')::int;
  END IF;
  UPDATE user_counts
  SET total = total + d_total, active = active + d_active, admins = admins + d_admins
  WHERE id = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER users_counted_on_insert AFTER INSERT ON users
FOR EACH ROW EXECUTE FUNCTION users_count_change();
CREATE TRIGGER users_counted_on_delete AFTER DELETE ON users
FOR EACH ROW EXECUTE FUNCTION users_count_change();
CREATE TRIGGER users_counted_on_update AFTER UPDATE OF is_active, role ON users
FOR EACH ROW
WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.role IS DISTINCT FROM NEW.role)
EXECUTE FUNCTION users_count_change();
