# Database module: the SQLite backend, migrations and repositories.
gh_unit_test(test_sqlite_database gh_db)
gh_unit_test(test_migrator gh_db)
gh_unit_test(test_repositories gh_db)
gh_unit_test(test_point_read gh_db)
