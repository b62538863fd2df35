"""REDIS_URL: limits and login throttles shared by several instances through a real
redis-server on loopback; a Redis outage is survived and reconnected."""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from client import PASSWORD, assert_error, register, unique_email
from conftest import TEST_DATABASE, psql, read_pg_state
from redis_server import RedisServer


@pytest.fixture
def redis(tmp_path_factory):
    srv = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield srv
    srv.stop()


def wait_for(predicate, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout:.0f}s")


def ready_body(srv):
    r = srv.client.get("/health/ready")
    assert r.status == 200, r
    return r.json


def test_rate_limit_counts_requests_to_both_instances_together(make_server, redis):
    env = dict(REDIS_URL=redis.url, RATE_LIMIT_REQUESTS=6, RATE_LIMIT_WINDOW_SECONDS=600)
    a = make_server(probe="tcp", **env)
    b = make_server(probe="tcp", **env)
    remaining = []
    for srv in (a, b, a, b, a, b):
        r = srv.client.get("/health")
        assert r.status == 200, r
        remaining.append(int(r.headers["ratelimit-remaining"]))
    # One shared budget: each answer, whichever instance gave it, has one less left.
    assert remaining == [5, 4, 3, 2, 1, 0], remaining
    for srv in (a, b):
        r = srv.client.get("/health")
        assert_error(r, 429, "RATE_LIMITED")
        assert 1 <= int(r.headers["retry-after"]) <= 100, r
    assert redis.cli("EXISTS", "gatehouse:rl:127.0.0.1").strip() == "1"


def test_failed_login_throttle_is_shared(make_server, redis):
    env = dict(REDIS_URL=redis.url, LOGIN_MAX_FAILURES=3, LOGIN_FAILURE_WINDOW_SECONDS=600)
    a = make_server(**env)
    b = make_server(**env)
    email = unique_email("throttled")
    creds = {"email": email, "password": "Wr0ng-Passw0rd!"}
    for srv in (a, b, a):
        assert_error(srv.client.post("/auth/login", creds), 401, "INVALID_CREDENTIALS")
    r = b.client.post("/auth/login", creds)
    assert_error(r, 429, "TOO_MANY_LOGIN_ATTEMPTS")
    assert int(r.headers["retry-after"]) >= 1, r
    # Another account is not affected.
    assert_error(a.client.post("/auth/login", {"email": unique_email(), "password": "x" * 12}),
                 401, "INVALID_CREDENTIALS")


def test_guesses_sent_at_once_to_two_instances_get_no_more_checks_than_the_budget(make_server, redis):
    """Each failure is taken from the shared budget before its password check, atomically in
    Redis, so two instances together check no more guesses than the limit allows."""
    env = dict(REDIS_URL=redis.url, LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=1000,
               PASSWORD_HASH_QUEUE=64)
    a = make_server(**env)
    b = make_server(**env)
    victim = register(a.client)
    barrier = threading.Barrier(24)

    def guess(i: int):
        barrier.wait()
        srv = (a, b)[i % 2]
        return srv.client.post("/auth/login", {"email": victim.email, "password": f"wrong-{i}-password"})

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(guess, range(24)))
    checked = [r for r in answers if r.status == 401]
    assert 1 <= len(checked) <= 3, [r.status for r in answers]
    assert all(r.status in (401, 429) for r in answers), [r.status for r in answers]
    # The owner's right password, after the guesses: refused from this address for now.
    assert_error(a.client.post("/auth/login", {"email": victim.email, "password": victim.password}),
                 429, "TOO_MANY_LOGIN_ATTEMPTS")


def deactivate_behind_the_cache(srv, email: str) -> None:
    """Changes the database directly, so no instance invalidates anything."""
    if TEST_DATABASE == "postgres":
        # psql -c takes no parameters: the generated address is checked to be inert instead.
        assert re.fullmatch(r"[a-z0-9.@-]+", email), email
        dbname = srv.database_url.rsplit("/", 1)[1]
        psql(read_pg_state(), f"UPDATE users SET is_active = false WHERE email = '{email}'", dbname)
        return
    with sqlite3.connect(srv.db_path, timeout=10) as db:
        db.execute("UPDATE users SET is_active = 0 WHERE email = ?", (email,))


def test_stats_are_exact_on_every_instance_even_behind_their_back(make_server, redis):
    a = make_server(REDIS_URL=redis.url, STATS_CACHE_SECONDS=600)
    b = make_server(migrate=False, REDIS_URL=redis.url, STATS_CACHE_SECONDS=600,
                    DATABASE_URL=a.database_url)
    admin = a.make_admin()
    user = register(a.client)
    first = a.client.get("/users/stats", headers=admin.auth)
    assert first.status == 200 and first.json == {"total": 2, "active": 2, "admins": 1}, first
    # The counts are kept with the rows, not cached: a change made straight in the
    # database (no gatehouse told) shows on both instances at once, whatever
    # STATS_CACHE_SECONDS says (accepted, unused).
    deactivate_behind_the_cache(a, user.email)
    seen = b.client.get("/users/stats", headers=admin.auth)
    assert seen.status == 200 and seen.json == {"total": 2, "active": 1, "admins": 1}, seen
    register(b.client)
    after = a.client.get("/users/stats", headers=admin.auth)
    assert after.status == 200 and after.json == {"total": 3, "active": 2, "admins": 1}, after
    assert redis.cli("EXISTS", "gatehouse:stats").strip() == "0", "nothing cached in Redis"


def test_create_admin_shows_at_once_on_a_running_instance(make_server, redis):
    srv = make_server(REDIS_URL=redis.url, STATS_CACHE_SECONDS=600)
    admin = srv.make_admin()
    first = srv.client.get("/users/stats", headers=admin.auth)
    assert first.status == 200 and first.json["admins"] == 1, first
    r = srv.create_admin(unique_email("second-admin"), "Adm1n-P@ssw0rd-Two!")
    assert r.returncode == 0, r.stderr
    after = srv.client.get("/users/stats", headers=admin.auth)
    assert after.status == 200 and after.json["admins"] == 2, after


def test_redis_outage_falls_back_and_reconnects(make_server, redis):
    srv = make_server(REDIS_URL=redis.url, RATE_LIMIT_REQUESTS=1000)
    assert ready_body(srv) == {"status": "ready",
                               "checks": {"database": "ok", "migrations": "ok", "redis": "ok"}}
    redis.stop()
    for _ in range(5):
        r = srv.client.get("/health")
        assert r.status == 200, r
        assert r.headers.get("ratelimit-limit") == "1000", r  # the in-process limiter answered
    acc = register(srv.client)
    assert srv.client.get("/users/me", headers=acc.auth).status == 200
    assert ready_body(srv) == {"status": "degraded",
                               "checks": {"database": "ok", "migrations": "ok", "redis": "unavailable"}}
    assert "\ngatehouse_redis_up 0\n" in srv.client.get("/metrics").body.decode()
    time.sleep(1.5)  # several reconnect attempts fail meanwhile
    assert srv.log_text().count("redis_unavailable") == 1, srv.log_text()
    redis.start()
    wait_for(lambda: ready_body(srv)["status"] == "ready", what="readiness back to ready")
    assert "redis_available_again" in srv.log_text()
    assert "\ngatehouse_redis_up 1\n" in srv.client.get("/metrics").body.decode()
    # Counted in Redis again. A command can still miss REDIS_TIMEOUT_MS on a busy machine
    # (that request is then counted in the process), so a few requests are allowed for it.
    def counted_in_redis() -> bool:
        assert srv.client.get("/health").status == 200
        return redis.cli("EXISTS", "gatehouse:rl:127.0.0.1").strip() == "1"
    wait_for(counted_in_redis, what="the rate limit counted in Redis again")


def test_fail_closed_refuses_while_redis_is_down(make_server, redis):
    srv = make_server(REDIS_URL=redis.url, REDIS_FAIL_OPEN="false", RATE_LIMIT_REQUESTS=1000,
                      probe="tcp")
    assert srv.client.get("/health").status == 200
    redis.stop()
    assert_error(srv.client.get("/health"), 503, "RATE_LIMIT_UNAVAILABLE")
    redis.start()
    wait_for(lambda: srv.client.get("/health").status == 200, what="requests served again")


def test_unreachable_redis_at_start_still_serves(make_server):
    from client import free_port
    srv = make_server(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", RATE_LIMIT_REQUESTS=1000)
    assert srv.client.get("/health").status == 200
    assert ready_body(srv)["checks"]["redis"] == "unavailable"


def test_hung_redis_costs_at_most_the_timeout(make_server, redis):
    # A Redis that accepts but never answers (paused): each command gives up after
    # REDIS_TIMEOUT_MS and the request is decided in the process.
    import signal
    srv = make_server(REDIS_URL=redis.url, REDIS_TIMEOUT_MS=200, RATE_LIMIT_REQUESTS=1000)
    # Connected and answering: on a busy machine an answer can miss 200 ms, and the client
    # then reconnects.
    wait_for(lambda: ready_body(srv)["status"] == "ready", what="readiness ready")
    redis.proc.send_signal(signal.SIGSTOP)
    try:
        for _ in range(3):
            r = srv.client.get("/health", timeout=5)
            assert r.status == 200 and r.headers.get("ratelimit-limit") == "1000", r
        assert ready_body(srv)["checks"]["redis"] == "unavailable"
        # One unanswered command is enough: Redis is down, said once, until it answers again.
        assert "\ngatehouse_redis_up 0\n" in srv.client.get("/metrics").body.decode()
        assert re.search(r'"redis_unavailable".*"command timed out"', srv.log_text()), srv.log_text()
    finally:
        redis.proc.send_signal(signal.SIGCONT)
    wait_for(lambda: ready_body(srv)["status"] == "ready", what="readiness back to ready")
    assert "redis_available_again" in srv.log_text()


def test_a_redis_that_refuses_the_ping_is_down_and_said_so(make_server, redis):
    # A password Redis wants and the URL lacks: AUTH is never sent, and PING answers NOAUTH.
    redis.cli("CONFIG", "SET", "requirepass", "s3cret-redis-pass")
    srv = make_server(REDIS_URL=redis.url, RATE_LIMIT_REQUESTS=1000)
    assert srv.client.get("/health").status == 200  # decided in the process meanwhile
    assert ready_body(srv)["checks"]["redis"] == "unavailable"
    wait_for(lambda: re.search(r'"redis_unavailable".*"PING refused".*NOAUTH', srv.log_text()),
             what="the outage logged with Redis's reason")
    redis.cli("-a", "s3cret-redis-pass", "--no-auth-warning", "CONFIG", "SET", "requirepass", "")
    wait_for(lambda: ready_body(srv)["status"] == "ready", what="readiness back to ready")


def test_a_read_only_redis_is_said_so_and_limits_fall_back(make_server, redis):
    # After a failover the address can name a replica: PING answers, every script's SET is
    # refused. Requests are still limited, in the process, and the log says why.
    srv = make_server(REDIS_URL=redis.url, RATE_LIMIT_REQUESTS=1000)
    assert srv.client.get("/health").status == 200
    redis.cli("REPLICAOF", "127.0.0.1", "1")
    try:
        for _ in range(3):
            r = srv.client.get("/health")
            assert r.status == 200 and r.headers.get("ratelimit-limit") == "1000", r
        wait_for(lambda: re.search(r'"redis_script_refused".*READONLY', srv.log_text()),
                 what="the refusal logged")
        assert srv.log_text().count("redis_script_refused") == 1, srv.log_text()  # once a minute
    finally:
        redis.cli("REPLICAOF", "NO", "ONE")
