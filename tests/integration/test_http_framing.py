"""HTTP framing a client relies on beyond the happy path: HEAD answers without a body,
Expect: 100-continue, HTTP/1.0 keep-alive, refusals that reach a client still sending, and
requests built to break the parser (a trailer field too long to keep, a chunk line that
never ends) answered in the envelope while the server keeps serving."""
from __future__ import annotations

import json

import pytest

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


# ------------------------------------------------------------------- framing read two ways

SMUGGLED = b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Request-ID: smuggled\r\n\r\n"


def assert_refused_and_closed(rc: RawConn) -> None:
    """A 400 in the envelope, then the connection closes with nothing more answered: the
    bytes after the refused header are never read as a request."""
    try:
        r = rc.read_response()
    except (EOFError, ConnectionResetError) as e:
        raise AssertionError("closed without an answer") from e
    assert_error(r, 400, "BAD_REQUEST")
    try:
        closed = rc.closed_by_peer(5)
    except OSError:
        closed = True
    assert closed, "the connection stayed open after a refused framing"
    assert b"smuggled" not in rc.buf, rc.buf


@pytest.mark.parametrize("transfer_encoding", [
    b"Transfer-Encoding: gzip\r\n",
    b"Transfer-Encoding: xchunked\r\n",
    b"Transfer-Encoding: chunk\r\n",
    b"Transfer-Encoding: chunked, identity\r\n",
    b"Transfer-Encoding: chunked, chunked\r\n",
    b"Transfer-Encoding: identity\r\n",
    b"Transfer-Encoding: deflate\r\n",
    b"Transfer-Encoding:\r\n",
], ids=["gzip", "xchunked", "chunk", "chunked-identity", "chunked-chunked", "identity",
        "deflate", "empty"])
def test_a_transfer_encoding_other_than_chunked_is_refused_and_closes(server, client,
                                                                      transfer_encoding):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + transfer_encoding + b"\r\n" + SMUGGLED)
        assert_refused_and_closed(rc)
    assert_alive(client)


@pytest.mark.parametrize("transfer_encoding", [
    b"Transfer-Encoding: gzip, chunked\r\n",
    b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
], ids=["one-line", "two-lines"])
def test_a_coding_before_chunked_is_refused_not_ignored(server, transfer_encoding):
    """Beast reads the chunks and drops the gzip: the body would be taken as plain."""
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + transfer_encoding + b"\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED)
        assert_refused_and_closed(rc)


def test_a_transfer_encoding_beside_a_content_length_is_refused(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}" + SMUGGLED)
        assert_refused_and_closed(rc)


def test_chunked_in_any_case_is_still_read(server):
    body = json.dumps({"email": unique_email("chunked"), "password": PASSWORD}).encode()
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding:  Chunked \r\n\r\n" + b"%x\r\n" % len(body) + body
                + b"\r\n0\r\n\r\n" + SMUGGLED)
        assert rc.read_response().status == 201
        after = rc.read_response()
    assert after.status == 200 and after.headers.get("x-request-id") == "smuggled", after


@pytest.mark.parametrize("trailer", [b"Host: evil\r\n", b"X-Forwarded-For: 203.0.113.9\r\n"],
                         ids=["host", "forwarded-for"])
def test_a_trailer_field_is_refused_not_taken_for_a_header(server, trailer):
    """Beast adds trailer fields to the header: a proxy that checked the header never saw them."""
    body = json.dumps({"email": unique_email("trailer"), "password": PASSWORD}).encode()
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(body) + body
                + b"\r\n0\r\n" + trailer + b"\r\n" + SMUGGLED)
        assert_refused_and_closed(rc)


@pytest.mark.parametrize("content_length", [
    b"Content-Length: 2\r\nContent-Length: 2\r\n",
    b"Content-Length: 2, 2\r\n",
], ids=["two-lines", "list"])
def test_a_content_length_given_twice_is_refused_and_closes(server, content_length):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + content_length + b"\r\n{}" + SMUGGLED)
        assert_refused_and_closed(rc)


@pytest.mark.parametrize("hosts", [b"", b"Host: a\r\nHost: b\r\n", b"Host: a\r\nHost: a\r\n"],
                         ids=["none", "two", "two-equal"])
def test_an_http_1_1_request_without_exactly_one_host_is_refused_and_closes(server, hosts):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"GET /health/live HTTP/1.1\r\n" + hosts + b"\r\n" + SMUGGLED)
        assert_refused_and_closed(rc)


def test_an_http_1_0_request_may_go_without_host(server):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"GET /health/live HTTP/1.0\r\n\r\n")
        r = rc.read_response()
    assert r.status == 200, r


@pytest.mark.parametrize("scheme", [b"http", b"https", b"HTTP"])
def test_an_absolute_form_target_is_routed_by_its_path(server, scheme):
    with RawConn(server.host, server.port) as rc:
        rc.send(b"GET " + scheme + b"://x/health/live HTTP/1.1\r\nHost: x\r\n\r\n")
        r = rc.read_response()
    assert r.status == 200 and r.json == {"status": "alive"}, r


def test_an_absolute_form_target_keeps_its_query(server, admin):
    auth = f"Authorization: Bearer {admin.access}\r\n".encode()
    with RawConn(server.host, server.port) as rc:
        rc.send(b"GET http://x/users/?limit=1 HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
        one = rc.read_response()
        rc.send(b"GET http://x/users/?limit=0 HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
        zero = rc.read_response()
    assert one.status == 200 and len(one.json) == 1, one
    assert_error(zero, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("coding", ["gzip", "deflate", "identity, gzip"])
def test_a_coded_json_body_is_unsupported_media(client, coding):
    r = client.post("/auth/register", json={"email": unique_email("coded"), "password": PASSWORD},
                    headers={"Content-Encoding": coding})
    assert_error(r, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_an_identity_coded_json_body_is_read(client):
    r = client.post("/auth/register", json={"email": unique_email("identity"), "password": PASSWORD},
                    headers={"Content-Encoding": "identity"})
    assert r.status == 201, r
