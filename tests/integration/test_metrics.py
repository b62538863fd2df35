"""/metrics: a well-formed Prometheus text exposition whose counters move with the
traffic: requests by route template, method and status with latency histograms, requests
in flight, the database pool, the password-hash queue, rate-limit rejections, failed
logins, session revocations, refresh-token reuse and build info."""
from __future__ import annotations

import re
import uuid

import pytest

from conftest import TEST_DATABASE
from client import PASSWORD, RawConn, assert_tokens, http_request_bytes, login, register, unique_email

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')

REQUIRED = {
    "gatehouse_http_requests_total": "counter",
    "gatehouse_http_request_duration_seconds": "histogram",
    "gatehouse_http_requests_in_flight": "gauge",
    "gatehouse_db_pool_in_use": "gauge",
    "gatehouse_db_pool_idle": "gauge",
    "gatehouse_db_pool_waiting": "gauge",
    "gatehouse_password_hash_queue_depth": "gauge",
    "gatehouse_rate_limit_rejections_total": "counter",
    "gatehouse_failed_logins_total": "counter",
    "gatehouse_session_revocations_total": "counter",
    "gatehouse_refresh_token_reuse_total": "counter",
    "gatehouse_sessions_purged_total": "counter",
    "gatehouse_session_purge_last_success_timestamp_seconds": "gauge",
    "gatehouse_build_info": "gauge",
}


class Exposition:
    """Parses the text format strictly: every sample belongs to a family declared by
    # TYPE before it, label values are properly quoted, no series appears twice."""

    def __init__(self, text: str):
        self.types: dict[str, str] = {}
        self.samples: dict[tuple[str, frozenset], float] = {}
        for line in text.splitlines():
            if not line:
                continue
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ", 3)
                assert name not in self.types, f"family declared twice: {line}"
                self.types[name] = kind
                continue
            if line.startswith("# HELP ") or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            name, _, raw_labels, value = m.groups()
            labels = self._labels(raw_labels or "", line)
            family = self._family(name)
            assert family in self.types, f"sample before its # TYPE: {line!r}"
            key = (name, frozenset(labels.items()))
            assert key not in self.samples, f"series twice: {line!r}"
            self.samples[key] = float(value)

    @staticmethod
    def _labels(raw: str, line: str) -> dict[str, str]:
        labels, pos = {}, 0
        while pos < len(raw):
            m = LABEL.match(raw, pos)
            assert m, f"bad labels in {line!r}"
            labels[m.group(1)] = m.group(2).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
            pos = m.end()
        return labels

    def _family(self, name: str) -> str:
        for suffix in ("_bucket", "_sum", "_count"):
            base = name[: -len(suffix)]
            if name.endswith(suffix) and self.types.get(base) == "histogram":
                return base
        return name

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def series(self, name: str) -> list[tuple[dict, float]]:
        return [(dict(k), v) for (n, k), v in self.samples.items() if n == name]


def scrape(client) -> Exposition:
    r = client.get("/metrics")
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("text/plain"), r
    assert "version=0.0.4" in r.headers.get("content-type", ""), r
    return Exposition(r.body.decode())


def requests_total(m: Exposition, route: str, method: str, status: int) -> float:
    return m.value("gatehouse_http_requests_total", route=route, method=method, status=str(status))


def test_every_family_is_exposed_with_its_type(client):
    m = scrape(client)
    for name, kind in REQUIRED.items():
        assert m.types.get(name) == kind, f"{name}: {m.types.get(name)}"


def test_request_counters_and_histograms_move_by_route_template(client, admin):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/health").status == 200
    missing = str(uuid.uuid4())
    assert client.get(f"/users/{missing}", token=admin.access).status == 404
    assert client.get("/no/such/path").status == 404
    after = scrape(client)

    assert requests_total(after, "/health", "GET", 200) - requests_total(before, "/health", "GET", 200) == 3
    assert requests_total(after, "/users/{id}", "GET", 404) - requests_total(before, "/users/{id}", "GET", 404) == 1
    assert requests_total(after, "unmatched", "GET", 404) - requests_total(before, "unmatched", "GET", 404) == 1
    # The previous scrape is counted too, under its own route.
    assert requests_total(after, "/metrics", "GET", 200) >= 1
    # Route templates only: no raw id or unknown path becomes a label value.
    for labels, _ in after.series("gatehouse_http_requests_total"):
        assert missing not in labels["route"] and "/no/such" not in labels["route"], labels

    labels = dict(route="/health", method="GET", status="200")
    count = after.value("gatehouse_http_request_duration_seconds_count", **labels)
    assert count - before.value("gatehouse_http_request_duration_seconds_count", **labels) == 3
    assert count == requests_total(after, "/health", "GET", 200)
    assert after.value("gatehouse_http_request_duration_seconds_sum", **labels) > 0
    buckets = sorted(
        ((float(l["le"]), v) for l, v in after.series("gatehouse_http_request_duration_seconds_bucket")
         if l["route"] == "/health" and l["method"] == "GET" and l["status"] == "200"))
    assert buckets[-1][0] == float("inf") and buckets[-1][1] == count, buckets
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), f"buckets not cumulative: {buckets}"


def test_refusals_are_counted_as_unmatched(client, server):
    def refused(m):  # the method is unknown when the header itself was refused
        return sum(v for l, v in m.series("gatehouse_http_requests_total")
                   if l["route"] == "unmatched" and l["status"] == "413")

    before = refused(scrape(client))
    # Refused on the announced length alone, before any body is sent.
    head = http_request_bytes("POST", "/auth/register", b"",
                              {"Content-Type": "application/json", "Content-Length": str(10 * 1024 ** 3)},
                              content_length=False)
    with RawConn(server.host, server.port, timeout=15) as rc:
        rc.send(head)
        r = rc.read_response()
    assert r.status == 413, r
    assert refused(scrape(client)) - before == 1


def test_in_flight_counts_the_scrape_itself(client):
    # Nothing else runs against this module's server while the test does.
    assert scrape(client).value("gatehouse_http_requests_in_flight") == 1


def test_failed_logins_are_counted(client):
    acc = register(client)
    before = scrape(client).value("gatehouse_failed_logins_total")
    assert client.post("/auth/login", {"email": acc.email, "password": "wrong-password"}).status == 401
    assert client.post("/auth/login", {"email": unique_email(), "password": PASSWORD}).status == 401
    login(client, acc.email, acc.password)
    assert scrape(client).value("gatehouse_failed_logins_total") - before == 2


def test_session_revocations_and_refresh_reuse_are_counted(client):
    def revoked(m, reason):
        return m.value("gatehouse_session_revocations_total", reason=reason)

    acc = register(client)
    before = scrape(client)
    assert client.post("/auth/logout", {"refresh_token": acc.refresh}).status == 204

    acc = register(client)
    assert client.post("/auth/logout-all", token=acc.access).status == 204

    acc = register(client)
    r = client.post("/auth/password", {"current_password": acc.password, "new_password": "An0ther-Passw0rd"},
                    token=acc.access)
    assert r.status == 204, r

    acc = register(client)
    assert_tokens(client.post("/auth/refresh", {"refresh_token": acc.refresh}), 200)
    assert client.post("/auth/refresh", {"refresh_token": acc.refresh}).status == 401  # reuse
    after = scrape(client)

    for reason in ("logout", "logout_all", "password_change", "refresh_reuse"):
        assert revoked(after, reason) - revoked(before, reason) == 1, reason
    assert (after.value("gatehouse_refresh_token_reuse_total")
            - before.value("gatehouse_refresh_token_reuse_total")) == 1


def test_pool_hash_queue_and_build_info(make_server, gatehouse_bin):
    import subprocess
    srv = make_server(DB_THREADS=3)
    assert srv.client.get("/health").status == 200  # PostgreSQL opens connections lazily
    m = scrape(srv.client)
    # At rest: nothing in use or waiting, no hash running; idle is every SQLite worker, or
    # the PostgreSQL connections the probes and /health opened.
    if TEST_DATABASE == "sqlite":
        assert m.value("gatehouse_db_pool_idle") == 3
    else:
        assert m.value("gatehouse_db_pool_idle") >= 1
    assert m.value("gatehouse_db_pool_in_use") == 0
    assert m.value("gatehouse_db_pool_waiting") == 0
    assert m.value("gatehouse_password_hash_queue_depth") == 0
    version = subprocess.run([gatehouse_bin, "--version"], capture_output=True, text=True).stdout.strip()
    info = m.series("gatehouse_build_info")
    assert len(info) == 1 and info[0][1] == 1, info
    assert info[0][0]["version"] in version and info[0][0]["database"] == TEST_DATABASE, (info, version)


def test_rate_limit_rejections_are_counted(make_server):
    # The hammering client and the scraper come through a trusted proxy as two addresses,
    # so the scraper is not itself limited.
    srv = make_server(RATE_LIMIT_REQUESTS=3, RATE_LIMIT_WINDOW_SECONDS=60, TRUSTED_PROXIES="127.0.0.1",
                      probe="tcp")
    c = srv.client
    scraper = {"X-Forwarded-For": "198.51.100.2"}

    def rejections():
        r = c.get("/metrics", headers=scraper)
        assert r.status == 200, r
        return Exposition(r.body.decode()).value("gatehouse_rate_limit_rejections_total", limiter="requests")

    before = rejections()
    statuses = [c.get("/health", headers={"X-Forwarded-For": "198.51.100.1"}).status for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429], statuses
    assert rejections() - before == 2


def test_login_throttle_rejections_are_counted(make_server):
    srv = make_server(LOGIN_MAX_FAILURES=2, LOGIN_FAILURE_WINDOW_SECONDS=60)
    c = srv.client
    acc = register(c)
    statuses = [c.post("/auth/login", {"email": acc.email, "password": "wrong-password"}).status
                for _ in range(3)]
    assert statuses[-1] == 429, statuses
    m = scrape(c)
    assert m.value("gatehouse_rate_limit_rejections_total", limiter="login") == statuses.count(429)
    assert m.value("gatehouse_failed_logins_total") == statuses.count(401)
