"""HTTP framing a client relies on beyond the happy path: HEAD answers without a body,
Expect: 100-continue, HTTP/1.0 keep-alive, refusals that reach a client still sending, and
requests built to break the parser (a trailer field too long to keep, a chunk line that
never ends) answered in the envelope while the server keeps serving."""
from __future__ import annotations

import json

from client import PASSWORD, RawConn, assert_error, unique_email


def assert_alive(c) -> None:
    r = c.get("/health", timeout=5)
    assert r.status == 200 and r.json == {"status": "healthy"}, r


def test_head_is_answered_without_a_body_and_the_connection_stays_in_step(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n")
        head = rc.read_response(head_request=True)
        rc.send(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        after = rc.read_response()
    assert head.body == b"" and int(head.headers["content-length"]) > 0, head
    assert head.status == 405, head  # no HEAD routes; the answer still frames right
    assert after.status == 200 and after.json == {"status": "healthy"}, after


def test_expect_100_continue_gets_the_go_ahead_before_the_body(server):
    body = json.dumps({"email": unique_email("expect"), "password": PASSWORD}).encode()
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode()
                + b"\r\n\r\n")
        rc.sock.settimeout(3)
        interim = rc._read_until(b"\r\n\r\n")  # before any byte of the body is sent
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim
        rc.send(body)
        r = rc.read_response()
    assert r.status == 201, r


def test_http_1_0_keep_alive_is_acknowledged_and_kept(server):
    with RawConn(server.host, server.port) as rc:
        for _ in range(2):
            rc.send(b"GET /health HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n")
            r = rc.read_response()
            assert r.status == 200, r
            assert r.headers.get("connection", "").lower() == "keep-alive", r


def test_a_413_reaches_a_client_that_is_still_sending(make_server):
    srv = make_server(MAX_BODY_BYTES=1024)
    with RawConn(srv.host, srv.port, timeout=10) as rc:
        rc.send(b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 600000\r\n\r\n")
        try:
            for _ in range(60):  # the body the server will not read, 10 kB at a time
                rc.send(b"x" * 10_000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        r = rc.read_response()
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")


def test_a_trailer_field_too_long_to_keep_is_a_431(server, client):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"0\r\nX-Trailer: " + b"a" * 70_000 + b"\r\n\r\n")
        r = rc.read_response()
    assert_error(r, 431, "HEADERS_TOO_LARGE")
    assert_alive(client)


def test_a_chunk_line_that_never_ends_is_refused_not_buffered(server, client):
    with RawConn(server.host, server.port, timeout=10) as rc:
        rc.send(b"POST /auth/register HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"1;ext=")
        refused = None
        try:
            for _ in range(100):  # 1.6 MB of one chunk extension, no end of line
                rc.send(b"a" * 16_000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        refused = rc.read_response()
    assert_error(refused, 400, "BAD_REQUEST")
    assert_alive(client)
