"""Black-box HTTP client and assertion helpers for the gatehouse integration suite.

Standard library only. `Client.request` opens a new http.client connection per call;
`Client.connection()` gives a persistent one for keep-alive tests; `raw_*` helpers talk
to the server over a plain socket for malformed / pipelined / chunked traffic.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json as jsonlib
import re
import select
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, NamedTuple

DEFAULT_TIMEOUT = 15.0
PASSWORD = "Str0ngP@ss!"  # the reference guide's test password
SECRET_KEY = "gatehouse-integration-test-secret-0123456789abcd"  # 48 characters
assert len(SECRET_KEY) == 48


def free_port() -> int:
    """A port that was free a moment ago (bind to port 0 and let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------
# Responses


class Headers:
    """Case-insensitive, read-only view of response headers. Repeated fields are joined
    with ", " (RFC 9110 list semantics); `get_all` keeps them apart."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._pairs = [(k, v) for k, v in pairs]
        self._map: dict[str, str] = {}
        for k, v in self._pairs:
            lk = k.lower()
            self._map[lk] = v if lk not in self._map else self._map[lk] + ", " + v

    def get(self, name: str, default: Any = None) -> Any:
        return self._map.get(name.lower(), default)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self._pairs if k.lower() == name.lower()]

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map

    def keys(self) -> list[str]:
        return list(self._map.keys())

    def items(self) -> list[tuple[str, str]]:
        return list(self._map.items())

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


class Resp(NamedTuple):
    status: int
    headers: Headers
    body: bytes
    json: Any  # parsed JSON body, or None when the body is empty or not JSON

    def __repr__(self) -> str:  # short, readable in assertion messages
        body = self.body[:600]
        return f"<Resp {self.status} headers={self.headers!r} body={body!r}>"


def _parse_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return jsonlib.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _from_httpresponse(r: http.client.HTTPResponse) -> Resp:
    body = r.read()
    return Resp(r.status, Headers(r.getheaders()), body, _parse_json(body))


class Client:
    def __init__(self, host: str, port: int, timeout: float = DEFAULT_TIMEOUT):
        self.host = host
        self.port = port
        self.timeout = timeout

    # One request on a brand-new connection.
    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        raw_body: bytes | str | None = None,
        token: str | None = None,
        timeout: float | None = None,
    ) -> Resp:
        conn = self.connection(timeout)
        try:
            return send(conn, method, path, json=json, headers=headers, raw_body=raw_body, token=token)
        finally:
            conn.close()

    def get(self, path: str, **kw: Any) -> Resp:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Resp:
        return self.request("POST", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Resp:
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path: str, **kw: Any) -> Resp:
        return self.request("DELETE", path, **kw)

    def connection(self, timeout: float | None = None) -> http.client.HTTPConnection:
        """A persistent connection (keep-alive); use with `send`."""
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)

    def socket(self, timeout: float = 5.0) -> socket.socket:
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        return s


# Called with (connection, method, path, request headers, response) after every exchange of
# `send`: the contract test checks each one against the OpenAPI document this way.
OBSERVERS: list[Callable[[http.client.HTTPConnection, str, str, Mapping[str, str], Resp], None]] = []


def send(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    raw_body: bytes | str | None = None,
    token: str | None = None,
) -> Resp:
    hdrs: dict[str, str] = {}
    body: bytes | None = None
    if json is not None:
        body = jsonlib.dumps(json).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    if raw_body is not None:
        body = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body
    if token is not None:
        hdrs["Authorization"] = f"Bearer {token}"
    if headers:
        hdrs.update(headers)
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = b""  # http.client then sends Content-Length: 0
    conn.request(method, path, body=body, headers=hdrs)
    resp = _from_httpresponse(conn.getresponse())
    for observe in OBSERVERS:
        observe(conn, method, path, hdrs, resp)
    return resp


# --------------------------------------------------------------------------------------
# Raw sockets: minimal HTTP/1.1 response reader that tolerates several responses on one
# connection (pipelining) without losing buffered bytes.


class RawConn:
    def __init__(self, host: str, port: int, timeout: float = 5.0, source: str | None = None):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.buf = b""
        self.timeout = timeout

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> "RawConn":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _fill(self) -> bool:
        """Reads more bytes; False on EOF. Raises socket.timeout on a stall."""
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buf:
            if not self._fill():
                raise EOFError("connection closed by server")
        idx = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:idx], self.buf[idx:]
        return out

    def _read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not self._fill():
                raise EOFError("connection closed by server mid-body")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self, head_request: bool = False) -> Resp:
        """Reads one response. Raises EOFError when the server closed the connection
        before a status line, socket.timeout when it stalls."""
        while True:
            head = self._read_until(b"\r\n\r\n").decode("latin-1")
            lines = head.split("\r\n")
            m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
            if not m:
                raise AssertionError(f"bad status line: {lines[0]!r}")
            status = int(m.group(1))
            pairs = []
            for line in lines[1:]:
                if not line:
                    continue
                k, _, v = line.partition(":")
                pairs.append((k.strip(), v.strip()))
            headers = Headers(pairs)
            if 100 <= status < 200:
                continue  # interim response; the real one follows
            break
        if head_request or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size_line = self._read_until(b"\r\n")
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    self._read_until(b"\r\n")  # (no trailers expected)
                    break
                body += self._read_exact(size)
                self._read_exact(2)
        elif "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]))
        else:  # read to close
            while self._fill():
                pass
            body, self.buf = self.buf, b""
        return Resp(status, headers, body, _parse_json(body))

    def closed_by_peer(self, wait: float = 5.0) -> bool:
        """True when the server closes the connection within `wait` s (no more bytes)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                return False
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return True
            if not chunk:
                return True
            self.buf += chunk
        return False


def http_request_bytes(
    method: str,
    path: str,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
    content_length: bool = True,
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    for k, v in (headers or {}).items():
        lines.append(f"{k}: {v}")
    if content_length and (body or method in ("POST", "PUT", "PATCH")):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# --------------------------------------------------------------------------------------
# Accounts


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}@example.com"


@dataclass
class Account:
    email: str
    password: str
    access: str
    refresh: str
    id: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


def assert_tokens(r: Resp, status: int) -> dict:
    assert r.status == status, r
    assert is_json_response(r), r
    body = r.json
    assert isinstance(body, dict), r
    assert set(body) == {"access_token", "refresh_token", "token_type"}, body
    assert body["token_type"] == "bearer", body
    assert isinstance(body["access_token"], str) and body["access_token"].count(".") == 2, body
    assert isinstance(body["refresh_token"], str) and body["refresh_token"].count(".") == 2, body
    assert body["access_token"] != body["refresh_token"]
    return body


def register(c: Client, email: str | None = None, password: str = PASSWORD) -> Account:
    email = email or unique_email()
    r = c.post("/auth/register", {"email": email, "password": password})
    tok = assert_tokens(r, 201)
    acc = Account(email.lower(), password, tok["access_token"], tok["refresh_token"])
    acc.id = jwt_claims(acc.access)["sub"]
    return acc


def login(c: Client, email: str, password: str) -> Account:
    r = c.post("/auth/login", {"email": email, "password": password})
    tok = assert_tokens(r, 200)
    acc = Account(email.lower(), password, tok["access_token"], tok["refresh_token"])
    acc.id = jwt_claims(acc.access)["sub"]
    return acc


# --------------------------------------------------------------------------------------
# Assertions


def is_json_response(r: Resp) -> bool:
    ctype = r.headers.get("content-type", "")
    return ctype.split(";")[0].strip().lower() == "application/json"


def assert_error(
    r: Resp,
    status: int,
    code: str,
    loc: list | tuple | None = None,
) -> dict:
    """Checks the one error envelope: {"error": {"code", "detail"[, "fields"]}}.
    For 422, `fields` must be a list of {"loc": [...], "msg": str}; with `loc`, one of
    them must have exactly that loc."""
    assert r.status == status, f"expected {status} {code}, got {r!r}"
    assert is_json_response(r), f"error response is not application/json: {r!r}"
    assert isinstance(r.json, dict), f"error body is not a JSON object: {r!r}"
    assert set(r.json) == {"error"}, f"envelope must have only 'error': {r.json}"
    err = r.json["error"]
    assert isinstance(err, dict), r.json
    assert err.get("code") == code, f"expected code {code}, got {r.json}"
    assert isinstance(err.get("detail"), str) and err["detail"].strip(), f"detail must be a non-empty string: {r.json}"
    if status == 422:
        assert set(err) == {"code", "detail", "fields"}, f"422 error must carry code, detail, fields: {r.json}"
        fields = err["fields"]
        assert isinstance(fields, list), r.json
        for f in fields:
            assert isinstance(f, dict) and set(f) >= {"loc", "msg"}, f"bad field entry {f!r}"
            assert isinstance(f["loc"], list) and f["loc"], f"bad loc in {f!r}"
            assert all(isinstance(p, (str, int)) for p in f["loc"]), f"bad loc in {f!r}"
            assert isinstance(f["msg"], str) and f["msg"].strip(), f"bad msg in {f!r}"
        if loc is not None:
            assert list(loc) in [f["loc"] for f in fields], f"no field with loc {list(loc)}: {r.json}"
    else:
        assert set(err) == {"code", "detail"}, f"non-422 error must carry exactly code, detail: {r.json}"
    assert "x-request-id" in r.headers, f"X-Request-ID missing: {r!r}"
    return err


def assert_no_content(r: Resp) -> None:
    assert r.status == 204, r
    assert r.body == b"", r


USER_OUT_KEYS = {"id", "email", "role", "is_active", "created_at", "updated_at", "email_verified",
                 "last_login_at", "mfa_enabled"}
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")


def parse_time(s: str) -> datetime:
    assert isinstance(s, str) and RFC3339_UTC.match(s), f"not an RFC 3339 UTC time ending in Z: {s!r}"
    base, _, frac = s[:-1].partition(".")
    dt = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    if frac:
        dt = dt.replace(microsecond=int((frac + "000000")[:6]))
    return dt


def assert_uuid7(s: Any) -> None:
    assert isinstance(s, str), s
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", s), f"not a canonical lower-case UUID: {s!r}"
    u = uuid.UUID(s)
    assert u.version == 7, f"not a UUIDv7: {s}"
    assert u.variant == uuid.RFC_4122, f"bad UUID variant: {s}"


def assert_user_out(u: Any, email: str | None = None, role: str | None = None, is_active: bool | None = None) -> dict:
    assert isinstance(u, dict), u
    assert set(u) == USER_OUT_KEYS, f"UserOut keys differ: {sorted(u)}"
    assert_uuid7(u["id"])
    assert isinstance(u["email"], str) and u["email"] == u["email"].lower(), u
    assert u["role"] in ("user", "admin"), u
    assert isinstance(u["is_active"], bool), u
    created, updated = parse_time(u["created_at"]), parse_time(u["updated_at"])
    assert updated >= created, u
    assert isinstance(u["email_verified"], bool), u
    if u["last_login_at"] is not None:
        assert parse_time(u["last_login_at"]) >= created, u
    if email is not None:
        assert u["email"] == email.lower(), u
    if role is not None:
        assert u["role"] == role, u
    if is_active is not None:
        assert u["is_active"] is is_active, u
    return u


# --------------------------------------------------------------------------------------
# JWT (HS256) without third-party libraries


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_parts(token: str) -> tuple[dict, dict, bytes]:
    h, p, s = token.split(".")
    return jsonlib.loads(b64url_decode(h)), jsonlib.loads(b64url_decode(p)), b64url_decode(s)


def jwt_claims(token: str) -> dict:
    return jwt_parts(token)[1]


def jwt_verify_hs256(token: str, key: bytes) -> bool:
    h, p, s = token.split(".")
    mac = hmac.new(key, f"{h}.{p}".encode("ascii"), hashlib.sha256).digest()
    return hmac.compare_digest(mac, b64url_decode(s))


def jwt_encode(header: dict, payload: dict, key: bytes | None, digest: Any = hashlib.sha256) -> str:
    """Signs with HMAC-`digest` under `key`; key None gives an empty signature (alg none)."""
    h = b64url_encode(jsonlib.dumps(header, separators=(",", ":")).encode())
    p = b64url_encode(jsonlib.dumps(payload, separators=(",", ":")).encode())
    if key is None:
        return f"{h}.{p}."
    sig = hmac.new(key, f"{h}.{p}".encode("ascii"), digest).digest()
    return f"{h}.{p}.{b64url_encode(sig)}"


def wait_until(pred, timeout: float = 5.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()
