"""Two gatehouse instances behind nginx, sharing PostgreSQL and Redis, as
deploy/docker-compose.yml runs them (see cluster.py). Run by tests/cluster/run."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time

import pytest

from cluster import Cluster

from client import PASSWORD, Client, assert_error, assert_tokens, unique_email  # noqa: E402 (path set by cluster)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    binary = os.environ["GATEHOUSE_BIN"]
    workdir = tmp_path_factory.mktemp("cluster")
    # PostgreSQL, as in the compose file (tests/cluster/run starts it).
    database_url = os.environ["CLUSTER_DATABASE_URL"]
    assert database_url.startswith("postgresql://"), database_url
    c = Cluster(binary, workdir, database_url)
    try:
        c.start()
        yield c
    finally:
        problems = c.stop()
    assert not problems, problems


# Each test speaks as its own client address: nginx appends the loopback peer to
# X-Forwarded-For and 127.0.0.1 is a trusted proxy, so the hop left of it is the client.
def as_client(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def register(c: Client, who: dict[str, str]) -> dict:
    r = c.post("/auth/register", {"email": unique_email("cluster"), "password": PASSWORD}, headers=who)
    return assert_tokens(r, 201)


def served_by(instance, marker: str) -> int:
    return sum(1 for line in instance.log_text().splitlines() if marker in line and '"request"' in line)


def test_rate_limit_counts_requests_through_both_instances_together(cluster):
    # A real client at 127.0.0.2 (not a trusted proxy) forging X-Forwarded-For: nginx appends
    # 127.0.0.2 and that is the address gatehouse counts, whatever the client wrote.
    limit = int(cluster.a.env["RATE_LIMIT_REQUESTS"])
    conn_args = ("127.0.0.1", cluster.nginx.port)
    remaining, statuses = [], []
    for i in range(limit + 1):
        conn = http.client.HTTPConnection(*conn_args, timeout=10, source_address=("127.0.0.2", 0))
        conn.request("GET", "/health/live", headers={"X-Forwarded-For": f"203.0.113.{i % 250}"})
        r = conn.getresponse()
        r.read()
        statuses.append(r.status)
        remaining.append(r.getheader("RateLimit-Remaining"))
        conn.close()
    assert statuses[:limit] == [200] * limit, statuses
    assert statuses[limit] == 429, statuses
    # One budget: the remaining count falls by one per request whichever instance answers.
    assert [int(x) for x in remaining[:limit]] == list(range(limit - 1, -1, -1)), remaining
    # An io thread writes its access-log lines just after its responses (one write per turn
    # of its event loop): wait for the last ones rather than racing them.
    deadline = time.monotonic() + 10
    while True:
        a = served_by(cluster.a, '"client":"127.0.0.2"')
        b = served_by(cluster.b, '"client":"127.0.0.2"')
        if a + b >= limit + 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert a > 0 and b > 0 and a + b == limit + 1, (a, b)


def test_logout_through_a_is_refused_at_b(cluster):
    who = as_client("198.51.100.10")
    tokens = register(cluster.a.client, who)
    access = {"Authorization": f"Bearer {tokens['access_token']}", **who}
    assert cluster.b.client.get("/users/me", headers=access).status == 200
    r = cluster.a.client.post("/auth/logout", {"refresh_token": tokens["refresh_token"]}, headers=who)
    assert r.status == 204, r
    assert_error(cluster.b.client.get("/users/me", headers=access), 401, "INVALID_TOKEN")
    assert_error(cluster.b.client.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}, headers=who),
                 401, "INVALID_TOKEN")


def test_concurrent_refreshes_through_a_and_b_give_exactly_one_200(cluster):
    who = as_client("198.51.100.11")
    for _ in range(5):
        tokens = register(cluster.a.client, who)
        body = {"refresh_token": tokens["refresh_token"]}
        barrier = threading.Barrier(2)
        results = {}

        def refresh(name, inst):
            barrier.wait()
            results[name] = inst.client.post("/auth/refresh", body, headers=who)

        threads = [threading.Thread(target=refresh, args=(n, i)) for n, i in (("a", cluster.a), ("b", cluster.b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        statuses = sorted(r.status for r in results.values())
        assert statuses == [200, 401], results


def test_stats_are_exact_across_instances(cluster):
    who = as_client("198.51.100.12")
    email = unique_email("cluster-admin")
    r = subprocess.run([cluster.a.binary, "create-admin", "--email", email, "--password-stdin"],
                       input=PASSWORD + "\n", cwd=cluster.workdir, env=cluster.a.env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r
    tok = assert_tokens(cluster.a.client.post("/auth/login", {"email": email, "password": PASSWORD}, headers=who), 200)
    admin = {"Authorization": f"Bearer {tok['access_token']}", **who}
    before = cluster.a.client.get("/users/stats", headers=admin)
    assert before.status == 200, before
    register(cluster.b.client, who)
    after = cluster.a.client.get("/users/stats", headers=admin)
    assert after.json["total"] == before.json["total"] + 1, (before, after)


def test_requests_keep_succeeding_with_one_instance_killed(cluster):
    who = as_client("198.51.100.13")
    tokens = register(cluster.nginx.client, who)
    access = {"Authorization": f"Bearer {tokens['access_token']}", **who}
    cluster.a.stop(signal.SIGKILL)
    try:
        statuses = [cluster.nginx.client.get("/users/me", headers=access).status for _ in range(30)]
        assert statuses == [200] * 30, statuses
        r = cluster.nginx.client.post("/auth/login", {"email": "nobody@example.com", "password": "x" * 12}, headers=who)
        assert_error(r, 401, "INVALID_CREDENTIALS")
        register(cluster.nginx.client, who)
    finally:
        cluster.a.start_and_wait()
    statuses = [cluster.nginx.client.get("/users/me", headers=access).status for _ in range(10)]
    assert statuses == [200] * 10, statuses


def test_requests_keep_succeeding_with_redis_stopped(cluster):
    who = as_client("198.51.100.14")
    tokens = register(cluster.nginx.client, who)
    access = {"Authorization": f"Bearer {tokens['access_token']}", **who}
    cluster.redis.stop()
    try:
        for _ in range(10):
            assert cluster.nginx.client.get("/users/me", headers=access).status == 200
        register(cluster.nginx.client, who)
        for inst in cluster.instances:
            r = inst.client.get("/health/ready")
            assert r.status == 200, r
            assert r.json == {"status": "degraded",
                              "checks": {"database": "ok", "migrations": "ok", "redis": "unavailable"}}, r
            # Degraded still counts as healthy for the container health check.
            assert inst.healthcheck().returncode == 0
    finally:
        cluster.redis.start()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if all(i.client.get("/health/ready").json.get("status") == "ready" for i in cluster.instances):
            break
        time.sleep(0.2)
    for inst in cluster.instances:
        assert inst.client.get("/health/ready").json["checks"]["redis"] == "ok"
        assert inst.log_text().count("redis_unavailable") == 1, inst.name
