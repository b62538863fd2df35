# Unit tests for running several instances: client addresses behind proxies, Redis settings.
gh_unit_test(test_client_address gh_http gh_config)
gh_unit_test(test_redis_url gh_config)
gh_unit_test(test_redis_client gh_redis)
