DROP TRIGGER users_counted_on_update ON users;
DROP TRIGGER users_counted_on_delete ON users;
DROP TRIGGER users_counted_on_insert ON users;
DROP FUNCTION users_count_update();
DROP FUNCTION users_count_delete();
DROP FUNCTION users_count_insert();
DROP TABLE user_counts;
