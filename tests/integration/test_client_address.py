"""X-Forwarded-For is believed only from TRUSTED_PROXIES, so a client cannot dodge the
per-address limit by forging it."""
from __future__ import annotations

from client import RawConn, assert_error


def test_trusted_proxy_header_names_the_client_and_forgery_does_not_help(make_server):
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REQUESTS=2,
                      RATE_LIMIT_WINDOW_SECONDS=600, probe="tcp")
    c = srv.client
    alice = {"X-Forwarded-For": "198.51.100.1"}
    assert [c.get("/health", headers=alice).status for _ in range(2)] == [200, 200]
    assert_error(c.get("/health", headers=alice), 429, "RATE_LIMITED")
    # What a proxy sends when the client forged its own header: the forged hop is left of
    # the address the proxy saw, and only that one counts.
    assert_error(c.get("/health", headers={"X-Forwarded-For": "203.0.113.77, 198.51.100.1"}),
                 429, "RATE_LIMITED")
    # Another client behind the same proxy has its own budget.
    assert c.get("/health", headers={"X-Forwarded-For": "198.51.100.2"}).status == 200
    # The proxy's own requests (no header) are the proxy's address.
    assert c.get("/health").status == 200


def test_untrusted_peer_cannot_spread_itself_over_addresses(make_server):
    srv = make_server(TRUSTED_PROXIES="10.0.0.0/8", RATE_LIMIT_REQUESTS=2,
                      RATE_LIMIT_WINDOW_SECONDS=600, probe="tcp")
    c = srv.client
    statuses = [c.get("/health", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status
                for i in range(1, 4)]
    assert statuses == [200, 200, 429], statuses


def test_a_proxy_that_adds_its_own_line_is_read_to_its_last_hop(make_server):
    """Some proxies add an X-Forwarded-For line rather than append to the client's: every
    line counts, in order, so a forged first line names no one."""
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REQUESTS=2,
                      RATE_LIMIT_WINDOW_SECONDS=600, probe="tcp")
    with RawConn(srv.host, srv.port) as rc:
        for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
            rc.send(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + forged.encode()
                    + b"\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n")
            last = rc.read_response()
    # Three requests from 198.51.100.9, whatever each first line claimed: the third is over.
    assert_error(last, 429, "RATE_LIMITED")
