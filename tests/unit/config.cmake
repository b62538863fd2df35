# gh_config: settings, database URLs and .env parsing.
gh_unit_test(test_settings gh_config)
gh_unit_test(test_database_url gh_config)
gh_unit_test(test_dotenv gh_config)
