"""The error contract for router-level failures: 404, 405 + Allow, 413, 415, 422 for
malformed or hostile JSON, and 503 when the database does not answer."""
from __future__ import annotations

import json
import select
import sqlite3
import time
import uuid

import pytest

from client import (
    PASSWORD, RawConn, Resp, assert_error, assert_tokens, http_request_bytes, register,
    unique_email,
)

MIB = 1024 * 1024


def allow_set(r: Resp) -> set[str]:
    assert "allow" in r.headers, f"405 without an Allow header: {r!r}"
    return {m.strip().upper() for m in r.headers["allow"].split(",") if m.strip()}


# ------------------------------------------------------------------- 404


@pytest.mark.parametrize("method, path", [
    ("GET", "/"),
    ("GET", "/nope"),
    ("GET", "/nope?x=1"),
    ("POST", "/nope"),
    ("GET", "/auth"),
    ("GET", "/auth/register/extra"),
    ("GET", "/users/me/extra"),
    ("GET", "/health/nope"),
    ("DELETE", "/health/live/x"),
    ("GET", "/" + "a" * 2000),
])
def test_unknown_path(client, method, path):
    r = client.request(method, path, headers={"Authorization": "Bearer junk"})
    assert_error(r, 404, "NOT_FOUND")


# ------------------------------------------------------------------- 405


@pytest.mark.parametrize("method, path, allowed", [
    ("POST", "/health", {"GET"}),
    ("DELETE", "/health/live", {"GET"}),
    ("POST", "/health/ready", {"GET"}),
    ("GET", "/auth/register", {"POST"}),
    ("GET", "/auth/login", {"POST"}),
    ("PUT", "/auth/refresh", {"POST"}),
    ("GET", "/auth/logout", {"POST"}),
    ("DELETE", "/auth/logout-all", {"POST"}),
    ("GET", "/auth/password", {"POST"}),
    ("PUT", "/users/me", {"GET"}),
    ("PUT", "/users/", {"GET", "POST"}),
    ("DELETE", "/users", {"GET", "POST"}),
    ("POST", "/users/stats", {"GET"}),
    ("POST", "/users/{id}", {"GET", "PATCH", "DELETE"}),
    ("PUT", "/users/{id}", {"GET", "PATCH", "DELETE"}),
])
def test_wrong_method(client, method, path, allowed):
    path = path.format(id=uuid.uuid4())
    body = {} if method in ("POST", "PUT", "PATCH") else None
    r = client.request(method, path, json=body)
    assert_error(r, 405, "METHOD_NOT_ALLOWED")
    got = allow_set(r)
    assert allowed <= got, f"Allow {got} lacks {allowed}"
    assert method not in got, f"Allow {got} lists the refused method {method}"


# ------------------------------------------------------------------- 413


def exchange_big(server, path: str, body: bytes, content_type: str = "application/json",
                 announce: int | None = None) -> Resp:
    """Sends headers, gives the server a moment to refuse on Content-Length alone, then
    the body (tolerating an early close), and reads one response."""
    length = len(body) if announce is None else announce
    head = http_request_bytes("POST", path, b"", {"Content-Type": content_type, "Content-Length": str(length)},
                              content_length=False)
    with RawConn(server.host, server.port, timeout=15) as rc:
        rc.send(head)
        early, _, _ = select.select([rc.sock], [], [], 0.3)
        if not early and body:
            try:
                rc.sock.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        return rc.read_response()


def padded_register_body(size: int) -> bytes:
    core = json.dumps({"email": unique_email("big"), "password": PASSWORD}).encode()
    assert len(core) < size
    return core + b" " * (size - len(core))


def test_body_of_exactly_one_mib_is_accepted(server):
    r = exchange_big(server, "/auth/register", padded_register_body(MIB))
    assert_tokens(r, 201)


def test_body_over_one_mib_is_refused(server, client):
    r = exchange_big(server, "/auth/register", padded_register_body(MIB + 1))
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert client.get("/health/live").status == 200


def test_huge_announced_body_is_refused_without_waiting_for_it(server, client):
    t = time.monotonic()
    r = exchange_big(server, "/auth/register", b"", announce=10 * 1024 ** 3)
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert time.monotonic() - t < 5
    assert client.get("/health/live").status == 200


def test_chunked_body_over_one_mib_is_refused(server, client):
    with RawConn(server.host, server.port, timeout=15) as rc:
        rc.send(http_request_bytes("POST", "/auth/register", b"",
                                   {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                                   content_length=False))
        first = b'{"email": "chunky@example.com", "password": "Str0ngP@ss!"}'
        pad = b" " * 65536
        try:
            rc.sock.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
            for _ in range(17):  # 17 * 64 KiB of whitespace: valid JSON, over 1 MiB in total
                rc.sock.sendall(b"%x\r\n" % len(pad) + pad + b"\r\n")
            rc.sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        r = rc.read_response()
    assert_error(r, 413, "PAYLOAD_TOO_LARGE")
    assert client.get("/health/live").status == 200


# ------------------------------------------------------------------- 415


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                   "application/xml", "application/jsonp"])
def test_json_endpoints_refuse_other_media_types(client, ctype):
    body = json.dumps({"email": unique_email(), "password": PASSWORD})
    r = client.post("/auth/register", raw_body=body, headers={"Content-Type": ctype})
    assert_error(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    r = client.post("/auth/login", raw_body=body, headers={"Content-Type": ctype})
    assert_error(r, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize("ctype", ["application/json; charset=utf-8", "application/json;charset=UTF-8",
                                   "Application/JSON"])
def test_json_media_type_parameters_and_case(client, ctype):
    body = json.dumps({"email": unique_email(), "password": PASSWORD})
    assert_tokens(client.post("/auth/register", raw_body=body, headers={"Content-Type": ctype}), 201)


# ------------------------------------------------------------------- 422: malformed JSON


@pytest.mark.parametrize("raw", [
    b"",
    b"{",
    b"not json",
    b'{"email": "a@example.com", "password": }',
    b'{"email": "a@example.com" "password": "Str0ngP@ss!"}',
    b"{'email': 'a@example.com', 'password': 'Str0ngP@ss!'}",
    b'{"email": "a@example.com", "password": "Str0ngP@ss!"} trailing',
    b'{"email": "a@example.com", "password": "Str0ngP@ss!",}',
    b'{"email": "\xff\xfe@example.com", "password": "Str0ngP@ss!"}',
    b'{"email": "a@example.com", "password": "Str0ngP@ss!\x00"',
    b"\xef\xbb\xbf\xef\xbb\xbf{}",
], ids=["empty", "open-brace", "text", "missing-value", "missing-comma", "single-quotes", "trailing-garbage",
        "trailing-comma", "invalid-utf8", "unterminated", "double-bom"])
def test_malformed_json_is_a_validation_error(client, raw):
    r = client.post("/auth/register", raw_body=raw, headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize("depth", [1000, 100000])
def test_deeply_nested_json_is_refused_not_fatal(client, depth):
    raw = b"[" * depth + b"]" * depth
    r = client.post("/auth/register", raw_body=raw, headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")
    raw = b'{"email": ' + b"[" * depth + b"]" * depth + b', "password": "Str0ngP@ss!"}'
    r = client.post("/auth/register", raw_body=raw, headers={"Content-Type": "application/json"})
    assert_error(r, 422, "VALIDATION_ERROR")
    assert client.get("/health/live").status == 200


@pytest.mark.parametrize("email", ["a\u0000b@example.com", "a@exam\nple.com", "a@example.com\r\nX-Evil: 1"])
def test_control_characters_in_email_are_refused(client, email):
    r = client.post("/auth/register", {"email": email, "password": PASSWORD})
    assert_error(r, 422, "VALIDATION_ERROR", loc=["body", "email"])


def test_huge_numbers_and_odd_values_do_not_crash(client):
    for raw in (b'{"email": 1e999999, "password": "Str0ngP@ss!"}',
                b'{"email": -99999999999999999999999999999, "password": "Str0ngP@ss!"}'):
        r = client.post("/auth/login", raw_body=raw, headers={"Content-Type": "application/json"})
        assert_error(r, 422, "VALIDATION_ERROR")
    for raw in (b'{"email": {"$ne": null}, "password": {"$ne": null}}',
                b'{"email": true, "password": false}'):
        r = client.post("/auth/login", raw_body=raw, headers={"Content-Type": "application/json"})
        assert_error(r, 422, "VALIDATION_ERROR", loc=["body", "email"])
    assert client.get("/health/live").status == 200


def test_sql_metacharacters_are_just_data(client):
    acc = register(client, f"o'brien-{uuid.uuid4().hex[:8]}@example.com", password="'; DROP TABLE users; --")
    r = client.post("/auth/login", {"email": "' OR '1'='1", "password": "' OR '1'='1"})
    assert r.status in (401, 422), r
    assert_error(r, r.status, "INVALID_CREDENTIALS" if r.status == 401 else "VALIDATION_ERROR")
    r = client.post("/auth/login", {"email": acc.email, "password": acc.password})
    assert_tokens(r, 200)


# ------------------------------------------------------------------- 503: the database does not answer


def test_locked_database_gives_503_not_a_hang(make_server):
    """Another process holds the SQLite write lock: writes must fail fast with 503.
    SQLite's own lock, so SQLite in both runs (PostgreSQL's faults: test_pg_outage.py)."""
    srv = make_server(DATABASE_URL="sqlite:///gh.db")
    register(srv.client)  # warm up
    holder = sqlite3.connect(str(srv.db_path), timeout=5, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        t = time.monotonic()
        r = srv.client.post("/auth/register", {"email": unique_email(), "password": PASSWORD}, timeout=120)
        elapsed = time.monotonic() - t
        assert_error(r, 503, "SERVICE_UNAVAILABLE")
        # A bound against a hang, not a speed claim: the lock is held for good, so only the
        # busy timeout ends the wait. Generous, for sanitizer builds on a busy machine.
        assert elapsed < 90, f"took {elapsed:.1f}s"
        assert srv.client.get("/health/live").status == 200
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    register(srv.client)  # recovers once the lock is gone
