"""PostgreSQL faults (this file runs only in the postgres run). The outage test stops and
restarts a cluster of its own, so the tests running beside it keep theirs."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from client import PASSWORD, assert_error, register, wait_until
from conftest import create_pg_database, psql, read_pg_state

CLUSTER_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-test-cluster"

# Generous: a request that outlives this is a hang, whatever the machine's load.
NO_HANG = 10.0


class Cluster:
    def __init__(self, state_file: Path):
        self.state_file = state_file

    def run(self, command: str) -> None:
        r = subprocess.run([str(CLUSTER_SCRIPT), command, str(self.state_file)],
                           capture_output=True, text=True, timeout=180)
        assert r.returncode == 0, f"pg-test-cluster {command} exited {r.returncode}: {r.stderr}"

    @property
    def state(self) -> dict[str, str]:
        return read_pg_state(str(self.state_file))


@pytest.fixture
def own_cluster(tmp_path: Path):
    cluster = Cluster(tmp_path / "pg-cluster.env")
    cluster.run("start")
    try:
        yield cluster
    finally:
        cluster.run("stop")


# "pause": a clean shutdown (sessions are told); "crash": every server process killed at once.
@pytest.mark.parametrize("stop", ["pause", "crash"])
def test_outage_answers_503_then_recovers_without_restart(make_server, own_cluster, stop):
    srv = make_server(DATABASE_URL=create_pg_database(own_cluster.state))
    acc = register(srv.client)
    # Healthy before the outage. The probe's own one-second deadline can pass on a machine
    # busy with other tests, so healthy is waited for, not asserted on the first answer.
    assert wait_until(lambda: srv.client.get("/health").status == 200, timeout=30)

    own_cluster.run(stop)
    c = srv.client
    r = c.get("/health", timeout=NO_HANG)
    assert r.status == 503 and r.json == {"status": "unhealthy"}, r
    r = c.get("/health/ready", timeout=NO_HANG)
    assert r.status == 503, r
    assert_error(c.get("/users/me", token=acc.access, timeout=NO_HANG), 503, "SERVICE_UNAVAILABLE")
    assert_error(c.post("/auth/login", {"email": acc.email, "password": PASSWORD}, timeout=NO_HANG),
                 503, "SERVICE_UNAVAILABLE")
    assert_error(c.post("/auth/register", {"email": "outage@example.com", "password": PASSWORD},
                        timeout=NO_HANG), 503, "SERVICE_UNAVAILABLE")
    assert c.get("/health/live").status == 200
    assert srv.running

    own_cluster.run("resume")
    assert wait_until(lambda: c.get("/health").status == 200, timeout=30), "did not recover"
    assert c.get("/health/ready").status == 200
    assert c.get("/users/me", token=acc.access).status == 200
    register(c)


def test_driver_suffix_is_ignored(make_server):
    url = create_pg_database(read_pg_state())
    srv = make_server(DATABASE_URL=url.replace("postgresql://", "postgresql+asyncpg://", 1))
    acc = register(srv.client)
    assert srv.client.get("/users/me", token=acc.access).status == 200


def test_schema_uses_native_types(make_server):
    url = create_pg_database(read_pg_state())
    make_server(DATABASE_URL=url, start=False)
    dbname = url.rsplit("/", 1)[1]
    rows = psql(read_pg_state(), "SELECT table_name || '.' || column_name || '=' || data_type "
                                 "FROM information_schema.columns WHERE table_schema = 'public' "
                                 "AND table_name IN ('users', 'sessions')", dbname=dbname).splitlines()
    types = dict(row.split("=", 1) for row in rows)
    assert types["users.id"] == "uuid", types
    assert types["users.created_at"] == "timestamp with time zone", types
    assert types["users.is_active"] == "boolean", types
    assert types["sessions.user_id"] == "uuid", types
    assert types["sessions.expires_at"] == "timestamp with time zone", types


def test_wrong_password_is_refused_without_echoing_it(make_server):
    state = read_pg_state()
    url = create_pg_database(state)
    bad = url.replace(state["GATEHOUSE_TEST_PG_PASSWORD"], "not-the-password-9b1f")
    srv = make_server(DATABASE_URL=bad, start=False, migrate=False)
    r = srv.cli("migrate", "status")
    assert r.returncode != 0, r
    assert "password authentication failed" in r.stderr, r
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr  # one line, like every CLI error
    assert "not-the-password-9b1f" not in r.stdout + r.stderr, r
