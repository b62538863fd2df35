"""HTTP/1.1 behaviour on the wire: keep-alive, pipelining, chunked bodies, malformed and
hostile requests (never a hang, never a dead server), concurrency, X-Request-ID."""
from __future__ import annotations

import json
import re
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from client import (
    PASSWORD, RawConn, assert_error, assert_tokens, http_request_bytes, register, send,
    unique_email,
)


def assert_alive(client):
    r = client.get("/health", timeout=5)
    assert r.status == 200 and r.json == {"status": "healthy"}, r


def status_or_closed(rc: RawConn) -> int | None:
    """The status of the next response, or None when the server closed the connection
    instead. A stall (no answer, no close) fails."""
    try:
        return rc.read_response().status
    except (EOFError, ConnectionResetError, BrokenPipeError):
        return None
    except socket.timeout:
        pytest.fail("the server neither answered nor closed the connection (hang)")


# ------------------------------------------------------------------- keep-alive


def test_keep_alive_serves_many_requests_on_one_connection(client):
    conn = client.connection()
    try:
        r = send(conn, "GET", "/health")
        assert r.status == 200, r
        sock = conn.sock
        assert sock is not None, "server closed a keep-alive connection after one request"
        email = unique_email()
        r = send(conn, "POST", "/auth/register", json={"email": email, "password": PASSWORD})
        tok = assert_tokens(r, 201)
        r = send(conn, "GET", "/users/me", token=tok["access_token"])
        assert r.status == 200 and r.json["email"] == email, r
        # Errors must not break the connection either.
        assert_error(send(conn, "GET", "/nope"), 404, "NOT_FOUND")
        assert_error(send(conn, "POST", "/auth/login", raw_body=b"{", headers={"Content-Type": "application/json"}),
                     422, "VALIDATION_ERROR")
        assert_error(send(conn, "GET", "/users/me"), 401, "NOT_AUTHENTICATED")
        assert_error(send(conn, "POST", "/health", json={}), 405, "METHOD_NOT_ALLOWED")
        for _ in range(10):
            assert send(conn, "GET", "/health").status == 200
        assert conn.sock is sock, "the connection was not kept alive"
    finally:
        conn.close()


def test_connection_close_is_honoured(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(http_request_bytes("GET", "/health", headers={"Connection": "close"}))
        r = rc.read_response()
        assert r.status == 200 and r.json == {"status": "healthy"}, r
        assert rc.closed_by_peer(5), "server kept the connection open after Connection: close"


def test_http_1_0_is_answered_and_closed(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"GET /health HTTP/1.0\r\nHost: x\r\n\r\n")
        r = rc.read_response()
        assert r.status == 200 and r.json == {"status": "healthy"}, r
        assert rc.closed_by_peer(5)


def test_pipelined_requests_are_answered_in_order(server):
    email = unique_email("pipe")
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    batch = (http_request_bytes("GET", "/health")
             + http_request_bytes("POST", "/auth/register", body, {"Content-Type": "application/json"})
             + http_request_bytes("GET", "/nope")
             + http_request_bytes("POST", "/auth/register", body, {"Content-Type": "application/json"})
             + http_request_bytes("GET", "/health/live"))
    with RawConn(server.host, server.port, timeout=15) as rc:
        rc.send(batch)
        rs = [rc.read_response() for _ in range(5)]
    assert rs[0].status == 200 and rs[0].json == {"status": "healthy"}, rs[0]
    assert_tokens(rs[1], 201)
    assert_error(rs[2], 404, "NOT_FOUND")
    assert_error(rs[3], 409, "EMAIL_TAKEN")
    assert rs[4].status == 200, rs[4]
    ids = [r.headers.get("x-request-id") for r in rs]
    assert len(set(ids)) == 5, ids


def test_two_requests_in_one_send(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(http_request_bytes("GET", "/health") + http_request_bytes("GET", "/users/me"))
        a, b = rc.read_response(), rc.read_response()
    assert a.status == 200 and a.json == {"status": "healthy"}, a
    assert_error(b, 401, "NOT_AUTHENTICATED")


def test_request_split_across_many_writes(server):
    body = json.dumps({"email": unique_email("slow"), "password": PASSWORD}).encode()
    data = http_request_bytes("POST", "/auth/register", body, {"Content-Type": "application/json"})
    with RawConn(server.host, server.port, timeout=15) as rc:
        for i in range(0, len(data), 7):
            rc.send(data[i:i + 7])
            if i % 70 == 0:
                time.sleep(0.005)
        assert_tokens(rc.read_response(), 201)


def test_chunked_request_body(server, client):
    email = unique_email("chunked")
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    parts = [body[:10], body[10:25], body[25:]]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
    with RawConn(server.host, server.port) as rc:
        rc.send(http_request_bytes("POST", "/auth/register", chunked,
                                   {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                                   content_length=False))
        tok = assert_tokens(rc.read_response(), 201)
    assert client.get("/users/me", token=tok["access_token"]).json["email"] == email


# ------------------------------------------------------------------- malformed and hostile input


@pytest.mark.parametrize("garbage", [
    b"\x00\x01\x02\xff\xfe garbage\r\n\r\n",
    b"HELLO\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost x\r\nNo-Colon-Here\r\n\r\n",
    b"GET /health HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
    b"POST /auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
], ids=["binary", "word", "no-target", "bad-version", "bad-header", "bad-content-length", "bad-chunk"])
def test_garbage_gets_400_or_a_close_never_a_hang(server, client, garbage):
    with RawConn(server.host, server.port, timeout=10) as rc:
        rc.send(garbage)
        status = status_or_closed(rc)
        assert status in (None, 400, 505), f"garbage answered with {status}"
    assert_alive(client)


@pytest.mark.parametrize("partial", [
    b"GET /hea",
    b"GET /health HTTP/1.1\r\nHost: x\r\n",
    b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em",
])
def test_truncated_request_then_close(server, client, partial):
    with RawConn(server.host, server.port) as rc:
        rc.send(partial)
        time.sleep(0.05)
    assert_alive(client)


def test_stalled_connections_do_not_block_others(server, client):
    stalled = []
    try:
        for _ in range(8):
            rc = RawConn(server.host, server.port)
            rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            stalled.append(rc)
        t = time.monotonic()
        for _ in range(5):
            assert_alive(client)
        # Waiting on the stalled ones would take their body deadline (30 s); a busy machine
        # (sanitizer builds, parallel tests) can take a few seconds for five requests.
        assert time.monotonic() - t < 15, "stalled connections slowed everyone else down"
    finally:
        for rc in stalled:
            rc.close()


def test_smuggling_shapes_are_refused(server, client):
    shapes = [
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 4\r\nContent-Length: 40\r\n\r\n{}{}",
        b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    for data in shapes:
        with RawConn(server.host, server.port, timeout=5) as rc:
            rc.send(data)
            status = status_or_closed(rc)
            if status is not None and status != 400:
                # Processed as chunked: then the connection must not be reused.
                assert rc.closed_by_peer(5), f"ambiguous framing answered {status} and kept the connection"
    assert_alive(client)


def test_oversized_header_is_refused(server, client):
    with RawConn(server.host, server.port, timeout=10) as rc:
        try:
            rc.send(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (256 * 1024) + b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = status_or_closed(rc)
        assert status in (None, 400, 413, 431), status
    assert_alive(client)


def test_very_long_url(server, client):
    with RawConn(server.host, server.port, timeout=10) as rc:
        try:
            rc.send(b"GET /health?" + b"q" * (200 * 1024) + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = status_or_closed(rc)
        assert status in (None, 200, 400, 414, 431), status
    assert_alive(client)


def test_many_headers(server, client):
    headers = "".join(f"X-H{i}: v\r\n" for i in range(2000)).encode()
    with RawConn(server.host, server.port, timeout=10) as rc:
        try:
            rc.send(b"GET /health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status = status_or_closed(rc)
        assert status in (None, 200, 400, 431), status
    assert_alive(client)


def test_many_connections_opened_and_dropped(server, client):
    for _ in range(50):
        s = socket.create_connection((server.host, server.port), timeout=5)
        s.close()
    assert_alive(client)


# ------------------------------------------------------------------- concurrency


def test_concurrent_requests(client):
    with ThreadPoolExecutor(max_workers=16) as ex:
        rs = list(ex.map(lambda _: client.get("/health"), range(64)))
    assert all(r.status == 200 and r.json == {"status": "healthy"} for r in rs), [r.status for r in rs]


def test_concurrent_registrations(client):
    with ThreadPoolExecutor(max_workers=8) as ex:
        accs = list(ex.map(lambda _: register(client), range(16)))
    assert len({a.id for a in accs}) == 16
    for a in accs:
        r = client.get("/users/me", token=a.access)
        assert r.status == 200 and r.json["email"] == a.email, r


def test_concurrent_registrations_of_one_email_succeed_once(client):
    email = unique_email("race")
    with ThreadPoolExecutor(max_workers=10) as ex:
        rs = list(ex.map(lambda i: client.post("/auth/register", {"email": email if i % 2 else email.upper(), "password": PASSWORD}),
                         range(10)))
    created = [r for r in rs if r.status == 201]
    assert len(created) == 1, [r.status for r in rs]
    for r in rs:
        if r.status != 201:
            assert_error(r, 409, "EMAIL_TAKEN")


# ------------------------------------------------------------------- X-Request-ID


def test_request_ids_are_generated_and_unique(client):
    rs = [client.get("/health"), client.get("/nope"), client.get("/users/me"),
          client.post("/auth/login", {"email": 1}), client.request("PUT", "/health")]
    ids = [r.headers.get("x-request-id") for r in rs]
    assert all(ids), ids
    assert len(set(ids)) == len(ids), ids
    for i in ids:
        assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", i), f"generated request id is not itself sane: {i!r}"


@pytest.mark.parametrize("rid", ["abc", "req-123_ABC.xyz", "a" * 64, str(uuid.uuid4())])
def test_sane_request_id_is_echoed(client, rid):
    for r in (client.get("/health", headers={"X-Request-ID": rid}),
              client.get("/nope", headers={"X-Request-ID": rid})):
        assert r.headers.get("x-request-id") == rid, r


@pytest.mark.parametrize("rid", ["a" * 300, "has space", "<script>", "quote\"d", "\u00e9t\u00e9"])
def test_insane_request_id_is_replaced(client, rid):
    r = client.get("/health", headers={"X-Request-ID": rid.encode("utf-8").decode("latin-1")})
    assert r.status == 200, r
    got = r.headers.get("x-request-id")
    assert got, r
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", got), f"unsafe request id echoed: {got!r}"
