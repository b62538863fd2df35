"""Health, readiness, and the documentation/metrics endpoints."""
from __future__ import annotations

import json
import time

from client import assert_error, is_json_response


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

    deadline = time.monotonic() + 8
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
    deadline = time.monotonic() + 8
    r = ready_status()
    while r.status != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        r = ready_status()
    assert r.status == 200, r


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
