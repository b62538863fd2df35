"""X-Forwarded-For is believed only from TRUSTED_PROXIES, so a client cannot dodge the
per-address limit by forging it."""
from __future__ import annotations

from client import assert_error


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
