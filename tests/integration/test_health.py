"""Health, readiness, and the documentation/metrics endpoints."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from client import assert_error, is_json_response, register
from conftest import TEST_DATABASE


def test_health(client):
    r = client.get("/health")
    assert r.status == 200, r
    assert is_json_response(r), r
    assert r.json == {"status": "healthy"}
    assert "x-request-id" in r.headers, r


def test_health_live(client):
    r = client.get("/health/live")
    assert r.status == 200, r
    assert "x-request-id" in r.headers, r


def test_health_ready(client):
    r = client.get("/health/ready")
    assert r.status == 200, r
    assert "x-request-id" in r.headers, r


def test_health_ignores_query_strings(client):
    r = client.get("/health?verbose=1&x=%20")
    assert r.status == 200 and r.json == {"status": "healthy"}, r


def test_health_needs_no_authentication_even_with_a_bad_token(client):
    r = client.get("/health", headers={"Authorization": "Bearer not-a-token"})
    assert r.status == 200 and r.json == {"status": "healthy"}, r


def test_readiness_notices_pending_migrations(make_server):
    srv = make_server()
    assert srv.client.get("/health/ready").status == 200
    r = srv.cli("migrate", "down", "1")
    assert r.returncode == 0, r

    def ready_status():
        return srv.client.get("/health/ready")

    deadline = time.monotonic() + 30
    r = ready_status()
    while r.status == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        r = ready_status()
    assert r.status == 503, f"/health/ready still {r.status} with a migration pending: {r!r}"
    assert is_json_response(r), r
    if "error" in r.json:
        assert_error(r, 503, "SERVICE_UNAVAILABLE")
    else:
        assert r.json.get("status") == "unhealthy", r
    # Liveness does no I/O and stays green.
    assert srv.client.get("/health/live").status == 200
    srv.migrate_up()
    deadline = time.monotonic() + 30
    r = ready_status()
    while r.status != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        r = ready_status()
    assert r.status == 200, r


def checkpoint(srv) -> None:
    """Copies the WAL into the database file and empties it, so that reads go to the file."""
    db = sqlite3.connect(str(srv.db_path))
    try:
        for _ in range(300):  # a reader of the server's may hold the WAL for a moment
            busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.1)
    finally:
        db.close()
    raise AssertionError("the WAL could not be checkpointed")


def overwrite(srv, offset: int, size: int) -> None:
    with open(srv.db_path, "r+b") as f:
        f.seek(offset)
        f.write(b"\xa5" * size)


def assert_unhealthy_and_alive(srv) -> None:
    # Several times: each io thread reads the file on its own connection.
    for _ in range(4):
        r = srv.client.get("/health")
        assert r.status == 503 and r.json == {"status": "unhealthy"}, r
        r = srv.client.get("/health/ready")
        assert r.status == 503 and r.json["status"] == "unhealthy", r
        assert r.json["checks"]["database"] == "unavailable", r
    assert srv.client.get("/health/live").status == 200
    assert srv.running


sqlite_only = pytest.mark.skipif(TEST_DATABASE != "sqlite", reason="overwrites a SQLite file")


@sqlite_only
def test_health_sees_a_database_header_overwritten_while_running(make_server):
    srv = make_server()
    register(srv.client)
    assert srv.client.get("/health").status == 200
    # No checkpoint: SQLite would take page 1 from the WAL and never look at the file's header.
    overwrite(srv, 0, 100)
    assert_unhealthy_and_alive(srv)


@sqlite_only
def test_health_sees_database_pages_overwritten_while_running(make_server):
    srv = make_server()
    register(srv.client)
    checkpoint(srv)
    for _ in range(4):  # the probes leave the pages they read in their connections' caches
        assert srv.client.get("/health").status == 200
    # The header stays; the schema and the tables after it do not.
    overwrite(srv, 100, srv.db_path.stat().st_size - 100)
    # Each connection reads the tables from the disk at most once a second (the header at
    # every probe): within a second of the damage every probe sees it.
    time.sleep(1.1)
    assert_unhealthy_and_alive(srv)


def test_openapi_document(client, server):
    r = client.get("/openapi.json")
    assert r.status == 200, r
    assert is_json_response(r), r
    doc = r.json
    assert str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi")
    for p in ("/auth/register", "/auth/login", "/auth/refresh", "/users/me", "/health"):
        assert p in doc.get("paths", {}), p
    cli = server.cli("openapi", timeout=10)
    assert cli.returncode == 0, cli
    assert set(json.loads(cli.stdout)["paths"]) == set(doc["paths"]), "`gatehouse openapi` and /openapi.json disagree"


def test_docs_pages(client):
    for path in ("/docs", "/redoc"):
        r = client.get(path)
        assert r.status == 200, r
        assert r.headers.get("content-type", "").startswith("text/html"), r
        assert b"openapi.json" in r.body, f"{path} does not load /openapi.json"


def test_metrics(client):
    client.get("/health")
    r = client.get("/metrics")
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("text/plain"), r
    text = r.body.decode()
    assert "# TYPE" in text, text[:500]
    assert 'gatehouse_http_requests_total{route="/health",method="GET",status="200"}' in text, text[:2000]
