"""`gatehouse healthcheck`: what the container HEALTHCHECK and the compose file run."""
from __future__ import annotations


def test_healthcheck_exits_0_on_ready_and_1_when_nothing_answers(make_server):
    srv = make_server()
    r = srv.cli("healthcheck")
    assert r.returncode == 0, r
    assert r.stdout.startswith("200 ") and '"status":"ready"' in r.stdout, r
    r = srv.cli("healthcheck", "--path", "/health/live")
    assert r.returncode == 0 and '"alive"' in r.stdout, r
    r = srv.cli("healthcheck", "--path", "/nope")
    assert r.returncode == 1 and r.stdout.startswith("404 "), r
    srv.stop_ok()
    r = srv.cli("healthcheck", "--timeout", "2")
    assert r.returncode == 1, r
    assert "healthcheck" in r.stderr, r


def test_healthcheck_reports_unready_database(make_server):
    srv = make_server(migrate=False, start=False)
    srv.migrate_up()
    srv.start()
    r = srv.cli("migrate", "down")
    assert r.returncode == 0, r
    r = srv.cli("healthcheck")
    assert r.returncode == 1 and r.stdout.startswith("503 "), r
