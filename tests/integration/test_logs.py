"""Logs: one JSON line per request (time, level, request id, method, route template,
status, duration, client address, user id when known) and per lifecycle event;
LOG_FORMAT=text for people; and never a password, a token or the secret key, checked
over the log of a whole session."""
from __future__ import annotations

import json
import uuid

from client import SECRET_KEY, assert_tokens, jwt_parts, login, register

NEW_PASSWORD = "N3w-Secr3t-Passw0rd!"
WRONG_PASSWORD = "Wr0ng-Guess-Passw0rd!"


def log_lines(srv) -> list[str]:
    # The harness writes "===== gatehouse serve ..." markers between runs.
    return [l for l in srv.log_path.read_text().splitlines() if l and not l.startswith("=====")]


def json_lines(srv) -> list[dict]:
    out = []
    for line in log_lines(srv):
        try:
            out.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r}")
    return out


def test_a_whole_session_leaves_no_secret_in_the_log(make_server, gatehouse_bin):
    srv = make_server(LOG_LEVEL="debug")
    c = srv.client
    acc = register(c)
    secrets = {acc.password, NEW_PASSWORD, WRONG_PASSWORD, SECRET_KEY, acc.access, acc.refresh}

    assert c.post("/auth/login", {"email": acc.email, "password": WRONG_PASSWORD}).status == 401
    session = login(c, acc.email, acc.password)
    secrets |= {session.access, session.refresh}
    pair = assert_tokens(c.post("/auth/refresh", {"refresh_token": session.refresh}), 200)
    secrets |= {pair["access_token"], pair["refresh_token"]}
    assert c.post("/auth/refresh", {"refresh_token": session.refresh}).status == 401  # reuse
    assert c.get("/users/me", token=acc.access).status == 200
    r = c.post("/auth/password", {"current_password": acc.password, "new_password": NEW_PASSWORD},
               token=acc.access)
    assert r.status == 204, r
    after = login(c, acc.email, NEW_PASSWORD)
    secrets |= {after.access, after.refresh}
    assert c.post("/auth/logout", {"refresh_token": after.refresh}).status == 204
    assert c.post("/auth/logout-all", token=acc.access).status == 204
    admin_password = "Adm1n-L0g-Passw0rd!"
    secrets.add(admin_password)
    srv.make_admin(password=admin_password)
    srv.stop_ok()

    text = srv.log_path.read_text()
    assert '"event":"request"' in text, text[:2000]
    for secret in secrets:
        assert secret not in text, "a secret is in the log"
        # Not even a token's signature, or the key split differently.
        if secret.count(".") == 2:
            assert jwt_parts(secret)[2] and secret.rsplit(".", 1)[1] not in text
    assert "Bearer" not in text and "authorization" not in text.lower()


def test_request_lines_carry_the_fields(make_server):
    srv = make_server(LOG_LEVEL="info")
    c = srv.client
    acc = register(c)
    me = c.get("/users/me", token=acc.access, headers={"X-Request-ID": "trace-me-123"})
    assert me.status == 200
    missing = str(uuid.uuid4())
    assert c.get(f"/users/{missing}", token=acc.access).status == 403
    health = c.get("/health")
    srv.stop_ok()

    lines = json_lines(srv)
    for line in lines:
        assert {"time", "level", "event"} <= set(line), line
        assert line["time"].endswith("Z") and "T" in line["time"], line
    requests = [l for l in lines if l["event"] == "request"]
    by_id = {l["request_id"]: l for l in requests}

    line = by_id["trace-me-123"]
    assert line["level"] == "info"
    assert line["method"] == "GET" and line["route"] == "/users/me" and line["status"] == 200, line
    assert line["client"] == "127.0.0.1", line
    assert line["user_id"] == acc.id, line
    assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0, line

    line = by_id[health.headers["x-request-id"]]
    assert line["route"] == "/health" and line["status"] == 200, line
    assert "user_id" not in line, "no user id on an anonymous request"

    templated = [l for l in requests if l["route"] == "/users/{id}"]
    assert len(templated) == 1 and templated[0]["status"] == 403, templated
    assert missing not in json.dumps(requests), "the route template is logged, not the raw path"

    events = [l["event"] for l in lines]
    assert "listening" in events and "stopped" in events, events
    listening = next(l for l in lines if l["event"] == "listening")
    assert listening["port"] == srv.port, listening


def test_text_format_is_for_people(make_server):
    srv = make_server(LOG_LEVEL="info", LOG_FORMAT="text")
    assert srv.client.get("/health").status == 200
    srv.stop_ok()
    lines = log_lines(srv)
    health = [l for l in lines if " request " in l and "route=/health " in l]
    assert health, lines
    assert "status=200" in health[0] and "method=GET" in health[0], health[0]
    for line in lines:
        assert not line.startswith("{"), f"JSON in text mode: {line}"


def test_generated_development_secret_is_not_logged(make_server):
    srv = make_server(SECRET_KEY=None, LOG_LEVEL="debug")
    acc = register(srv.client)
    assert srv.client.get("/users/me", token=acc.access).status == 200
    srv.stop_ok()
    key_file = srv.workdir / ".gatehouse-secret"
    assert key_file.is_file(), "development mode keeps its generated key in .gatehouse-secret"
    secret = key_file.read_text().strip()
    assert len(secret) >= 32
    text = srv.log_path.read_text()
    assert secret not in text
    assert acc.access not in text and acc.refresh not in text and acc.password not in text
