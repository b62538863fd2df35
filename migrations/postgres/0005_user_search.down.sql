DROP INDEX users_is_active_created_at_id;
DROP INDEX users_role_created_at_id;
DROP INDEX users_email_trigrams;
