"""Connection limits against hostile clients: header and body sizes, slow senders
(slowloris), idle keep-alive, the cap on open connections, floods, and pipelined requests
that cross a limit. Each limit is a setting; the tests set small values so they run fast."""
from __future__ import annotations

import socket
import time

import pytest

from client import (
    PASSWORD, RawConn, assert_error, http_request_bytes, is_json_response, unique_email,
    wait_until,
)

WAIT = 10.0  # generous bound for a server-side deadline of one or two seconds to fire


def assert_alive(c) -> None:
    r = c.get("/health", timeout=5)
    assert r.status == 200 and r.json == {"status": "healthy"}, r


def send_ignoring_reset(rc: RawConn, data: bytes) -> None:
    try:
        rc.send(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may refuse before reading everything


def closed_or_reset(rc: RawConn, wait: float = WAIT) -> bool:
    try:
        return rc.closed_by_peer(wait)
    except OSError:
        return True


# ------------------------------------------------------------------- header size: 431


def header_of_size(total: int) -> bytes:
    """A GET whose request line and header fields come to `total` bytes."""
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: "
    tail = b"\r\n\r\n"
    return head + b"a" * (total - len(head) - len(tail)) + tail


def test_header_just_under_16_kib_is_served(server, client):
    with RawConn(server.host, server.port) as rc:
        rc.send(header_of_size(16 * 1024 - 100))
        r = rc.read_response()
    assert r.status == 200, r


def test_header_over_16_kib_is_431_in_the_envelope(server, client):
    with RawConn(server.host, server.port) as rc:
        send_ignoring_reset(rc, header_of_size(16 * 1024 + 100))
        r = rc.read_response()
        assert_error(r, 431, "HEADERS_TOO_LARGE")
        assert r.headers.get("x-content-type-options") == "nosniff", r
        # The rest of the message is unread: the server must not try to go on.
        assert closed_or_reset(rc), "connection kept open after a 431"
    assert_alive(client)


def test_header_limit_is_a_setting(make_server):
    srv = make_server(MAX_HEADER_BYTES=2048)
    with RawConn(srv.host, srv.port) as rc:
        send_ignoring_reset(rc, header_of_size(3000))
        assert_error(rc.read_response(), 431, "HEADERS_TOO_LARGE")
    with RawConn(srv.host, srv.port) as rc:
        rc.send(header_of_size(1500))
        assert rc.read_response().status == 200


# ------------------------------------------------------------------- body size: 413


def test_body_limit_is_a_setting(make_server):
    srv = make_server(MAX_BODY_BYTES=1000)
    body = b'{"email": "%s", "password": "%s"}' % (unique_email().encode(), PASSWORD.encode())
    ok = body + b" " * (1000 - len(body))
    r = srv.client.post("/auth/register", raw_body=ok, headers={"Content-Type": "application/json"})
    assert r.status == 201, r
    r = srv.client.post("/auth/register", raw_body=ok + b" ", headers={"Content-Type": "application/json"})
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")


def test_oversized_body_is_refused_before_it_is_sent(make_server):
    """413 comes on the Content-Length alone: the client never has to send the body."""
    srv = make_server(MAX_BODY_BYTES=1000)
    with RawConn(srv.host, srv.port) as rc:
        rc.send(http_request_bytes("POST", "/auth/login", b"",
                                   {"Content-Type": "application/json", "Content-Length": "5000"},
                                   content_length=False))
        r = rc.read_response()  # a stall here (server waiting for the body) times out the test
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")


# ------------------------------------------------------------------- slowloris


def test_silent_connection_is_closed_after_the_header_deadline(make_server):
    srv = make_server(HEADER_TIMEOUT_SECONDS=1, KEEPALIVE_TIMEOUT_SECONDS=60)
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        assert closed_or_reset(rc), "a connection that never sent a byte was kept open"
    assert_alive(srv.client)


def test_header_trickled_byte_by_byte_is_cut_off(make_server):
    """Slowloris: every byte arrives well within any per-read timeout, but the header as
    a whole never completes; the header deadline must end the connection."""
    srv = make_server(HEADER_TIMEOUT_SECONDS=1, KEEPALIVE_TIMEOUT_SECONDS=60)
    cut = False
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        rc.send(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                rc.send(b"X-Slow: 1\r\n")
            except OSError:
                cut = True
                break
            if closed_or_reset(rc, 0.25):
                cut = True
                break
    assert cut, f"a header trickled for {WAIT:.0f}s was never cut off (deadline 1s)"
    assert_alive(srv.client)


def test_slow_body_is_cut_off(make_server):
    srv = make_server(HEADER_TIMEOUT_SECONDS=5, BODY_TIMEOUT_SECONDS=1)
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        rc.send(http_request_bytes("POST", "/auth/login", b'{"em',
                                   {"Content-Type": "application/json", "Content-Length": "100"},
                                   content_length=False))
        assert closed_or_reset(rc), "a body that never completes was waited for without end"
    assert_alive(srv.client)


def test_idle_keep_alive_connection_is_closed(make_server):
    srv = make_server(HEADER_TIMEOUT_SECONDS=30, KEEPALIVE_TIMEOUT_SECONDS=1)
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        rc.send(http_request_bytes("GET", "/health"))
        assert rc.read_response().status == 200
        rc.send(http_request_bytes("GET", "/health"))  # keep-alive works while not idle
        assert rc.read_response().status == 200
        assert closed_or_reset(rc), "an idle keep-alive connection outlived its timeout"


def test_a_request_in_progress_is_not_cut_by_the_idle_timeout(make_server):
    """The idle timeout is for silence between requests; a header that is arriving gets
    the (longer) header deadline."""
    srv = make_server(HEADER_TIMEOUT_SECONDS=30, KEEPALIVE_TIMEOUT_SECONDS=1)
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        rc.send(http_request_bytes("GET", "/health"))
        assert rc.read_response().status == 200
        rc.send(b"GET /health HTTP/1.1\r\n")
        time.sleep(2)  # twice the idle timeout, mid-header
        rc.send(b"Host: x\r\n\r\n")
        assert rc.read_response().status == 200


# ------------------------------------------------------------------- connection cap and floods


def open_served(srv, source: str | None = None) -> RawConn:
    """A connection the server has accepted and counted (it answered a request on it), from
    `source` when given (all of 127.0.0.0/8 reaches the server)."""
    rc = RawConn(srv.host, srv.port, timeout=WAIT, source=source)
    rc.send(http_request_bytes("GET", "/health/live"))
    r = rc.read_response()
    assert r.status == 200, r
    return rc


def filler(srv, held: list):
    """Opens one more served connection into `held`; False when the server refused it (the
    readiness probe's own connection may still be counted for a moment)."""
    def fill() -> bool:
        try:
            held.append(open_served(srv))
        except (EOFError, OSError):
            return False
        return True
    return fill


def test_connections_over_the_cap_are_closed_and_the_cap_frees_up(make_server):
    srv = make_server(MAX_CONNECTIONS=4, THREADS=1, KEEPALIVE_TIMEOUT_SECONDS=60)
    held: list[RawConn] = []
    fill = filler(srv, held)
    try:
        for _ in range(4):
            assert wait_until(fill, timeout=WAIT), f"connection {len(held) + 1} of 4 was refused"
        for _ in range(3):
            with RawConn(srv.host, srv.port, timeout=WAIT) as extra:
                extra.send(http_request_bytes("GET", "/health/live"))
                assert closed_or_reset(extra), "a connection over MAX_CONNECTIONS was served"
        held.pop().close()
        assert wait_until(fill, timeout=WAIT), "a freed place was not given to a new connection"
    finally:
        for rc in held:
            rc.close()
    assert wait_until(lambda: srv.client.get("/health", timeout=5).status == 200, timeout=WAIT)


def test_one_address_cannot_hold_every_connection(make_server):
    srv = make_server(MAX_CONNECTIONS=100, MAX_CONNECTIONS_PER_ADDRESS=3, THREADS=1,
                      KEEPALIVE_TIMEOUT_SECONDS=60)
    held: list[RawConn] = []
    fill = filler(srv, held)
    try:
        for _ in range(3):  # the readiness probe's connection may still count for a moment
            assert wait_until(fill, timeout=WAIT), f"connection {len(held) + 1} of 3 was refused"
        with RawConn(srv.host, srv.port, timeout=WAIT) as extra:
            extra.send(http_request_bytes("GET", "/health/live"))
            assert closed_or_reset(extra), "a fourth connection from one address was served"
        # Another address is not shut out by the first one's connections.
        held.append(open_served(srv, "127.0.0.2"))
        held.pop(0).close()
        assert wait_until(fill, timeout=WAIT), "a freed place was not given back to the address"
    finally:
        for rc in held:
            rc.close()


def test_a_trusted_proxy_is_not_capped_per_address(make_server):
    """Every client behind a proxy shares its address: the cap would cap them all."""
    srv = make_server(MAX_CONNECTIONS=100, MAX_CONNECTIONS_PER_ADDRESS=2, THREADS=1,
                      TRUSTED_PROXIES="127.0.0.1", KEEPALIVE_TIMEOUT_SECONDS=60)
    held = [open_served(srv) for _ in range(5)]
    for rc in held:
        rc.close()


def test_flood_of_connections_leaves_the_server_serving(make_server):
    srv = make_server(MAX_CONNECTIONS=100, HEADER_TIMEOUT_SECONDS=2)
    flood = []
    try:
        for i in range(400):
            try:
                s = socket.create_connection((srv.host, srv.port), timeout=5)
            except OSError:
                continue  # a full backlog may refuse some; that is fine
            if i % 2:
                try:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost")  # half a request
                except OSError:
                    pass
            flood.append(s)
    finally:
        for s in flood:
            s.close()
    # Until the server has seen the flood's closes it is over its cap, and a
    # connection over the cap is closed at once (reset): that is the design.
    assert wait_until(lambda: health_answers(srv), timeout=3 * WAIT)
    assert srv.running


def health_answers(srv) -> bool:
    try:
        return srv.client.get("/health", timeout=5).status == 200
    except OSError:
        return False


# ------------------------------------------------------------------- pipelining across a limit


def test_pipelined_request_over_the_limit_after_a_good_one(make_server):
    srv = make_server(MAX_BODY_BYTES=100)
    good = http_request_bytes("GET", "/health")
    big = http_request_bytes("POST", "/auth/login", b"x" * 200, {"Content-Type": "application/json"})
    never = http_request_bytes("GET", "/health/live")
    with RawConn(srv.host, srv.port, timeout=WAIT) as rc:
        send_ignoring_reset(rc, good + big + never)
        first = rc.read_response()
        assert first.status == 200 and first.json == {"status": "healthy"}, first
        assert_error(rc.read_response(), 413, "PAYLOAD_TOO_LARGE")
        # The 413's body was never read, so what follows it cannot be trusted as a request.
        assert closed_or_reset(rc), "requests after a refused one were still read"


def test_truncated_pipeline_answers_the_complete_requests(server):
    with RawConn(server.host, server.port, timeout=WAIT) as rc:
        rc.send(http_request_bytes("GET", "/health") + http_request_bytes("GET", "/health/live")
                + b"POST /auth/login HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"email\"")
        assert rc.read_response().status == 200
        assert rc.read_response().status == 200
        rc.sock.shutdown(socket.SHUT_WR)  # the third never completes
        assert closed_or_reset(rc)


def test_refusals_are_json_envelopes_with_security_headers(server):
    with RawConn(server.host, server.port) as rc:
        send_ignoring_reset(rc, b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n")
        r = rc.read_response()
    assert_error(r, 400, "BAD_REQUEST")
    assert is_json_response(r)
    assert "server" not in r.headers, r


def test_final_chunk_split_across_writes_is_served(server):
    """Beast 1.81 asserted on this in builds with assertions (a client could abort the
    server); the sanitizer trees run this test too."""
    body = b'{"email": "split@example.com", "password": "Str0ngP@ss!"}'
    with RawConn(server.host, server.port, timeout=WAIT) as rc:
        rc.send(http_request_bytes("POST", "/auth/login", b"",
                                   {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                                   content_length=False)
                + b"%x\r\n" % len(body) + body + b"\r\n0\r\n")
        for piece in (b"\r", b"\n"):
            time.sleep(0.2)  # separate reads on the server's side
            rc.send(piece)
        assert_error(rc.read_response(), 401, "INVALID_CREDENTIALS")
    assert_alive(server.client)
