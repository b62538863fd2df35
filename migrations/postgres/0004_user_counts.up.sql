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

-- Statement-level triggers with transition tables: one UPDATE of the counter row per
-- statement, however many users it touches (a row-level trigger would update the row once
-- per user, and a bulk import in one transaction would pile up a version per user).
CREATE FUNCTION users_count_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_counts
  SET total = user_counts.total + d.total, active = user_counts.active + d.active,
      admins = user_counts.admins + d.admins
  FROM (SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE is_active) AS active,
               COUNT(*) FILTER (WHERE is_active AND role = 'admin') AS admins
        FROM new_rows) d
  WHERE user_counts.id = 1 AND d.total > 0;
  RETURN NULL;
END;
$$;

CREATE FUNCTION users_count_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_counts
  SET total = user_counts.total - d.total, active = user_counts.active - d.active,
      admins = user_counts.admins - d.admins
  FROM (SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE is_active) AS active,
               COUNT(*) FILTER (WHERE is_active AND role = 'admin') AS admins
        FROM old_rows) d
  WHERE user_counts.id = 1 AND d.total > 0;
  RETURN NULL;
END;
$$;

-- Every UPDATE of users runs it (a trigger with transition tables takes no column list);
-- the counter row is written only when an active flag or a role changed.
CREATE FUNCTION users_count_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_counts
  SET active = user_counts.active + d.active, admins = user_counts.admins + d.admins
  FROM (SELECT (SELECT COUNT(*) FILTER (WHERE is_active) FROM new_rows)
                 - (SELECT COUNT(*) FILTER (WHERE is_active) FROM old_rows) AS active,
               (SELECT COUNT(*) FILTER (WHERE is_active AND role = 'admin') FROM new_rows)
                 - (SELECT COUNT(*) FILTER (WHERE is_active AND role = 'admin') FROM old_rows)
                 AS admins) d
  WHERE user_counts.id = 1 AND (d.active <> 0 OR d.admins <> 0);
  RETURN NULL;
END;
$$;

CREATE TRIGGER users_counted_on_insert AFTER INSERT ON users
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION users_count_insert();
CREATE TRIGGER users_counted_on_delete AFTER DELETE ON users
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION users_count_delete();
CREATE TRIGGER users_counted_on_update AFTER UPDATE ON users
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION users_count_update();
