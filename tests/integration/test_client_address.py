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


def test_an_ipv6_client_is_limited_by_its_network_not_its_address(make_server):
    """Almost every IPv6 client holds a /64 and can send from any address in it."""
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REQUESTS=2,
                      RATE_LIMIT_WINDOW_SECONDS=600, probe="tcp")
    c = srv.client
    statuses = [c.get("/health", headers={"X-Forwarded-For": f"2001:db8:2:3::{i:x}"}).status
                for i in range(1, 14)]
    assert statuses[:2] == [200, 200] and set(statuses[2:]) == {429}, statuses
    # The next network is another client.
    assert c.get("/health", headers={"X-Forwarded-For": "2001:db8:2:4::1"}).status == 200


def test_the_ipv6_prefix_is_a_setting(make_server):
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REQUESTS=1,
                      RATE_LIMIT_WINDOW_SECONDS=600, IPV6_PREFIX_LENGTH=48, probe="tcp")
    c = srv.client
    assert c.get("/health", headers={"X-Forwarded-For": "2001:db8:2:3::1"}).status == 200
    assert_error(c.get("/health", headers={"X-Forwarded-For": "2001:db8:2:ffff::1"}),
                 429, "RATE_LIMITED")


def test_forwarded_hops_with_ports_name_the_client(make_server):
    """Some proxies write the client's port too; read wrongly, every client behind such a
    proxy would share the proxy's one bucket."""
    srv = make_server(TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REQUESTS=1,
                      RATE_LIMIT_WINDOW_SECONDS=600, probe="tcp")
    c = srv.client
    for client in ("198.51.100.1:5678", "198.51.100.2:80", "[2001:db8::1]:80", "[2001:db9::1]"):
        assert c.get("/health", headers={"X-Forwarded-For": client}).status == 200, client
    # The same clients again, on other ports: each is over its own limit.
    for client in ("198.51.100.1:1", "[2001:db8::1]:443"):
        assert_error(c.get("/health", headers={"X-Forwarded-For": client}), 429, "RATE_LIMITED")
